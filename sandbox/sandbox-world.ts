import type { ActionsStore } from './actions/actions-store.js';
import type { AlertStore } from './alerts/alert-store.js';
import type { AppInstance } from './apps/app-instance.js';
import type { CiStore } from './ci/ci-store.js';
import type { AppEnvironment } from './control/control-inputs.js';
import type { DeploymentStore } from './deployments/deployment-store.js';
import type { EnvironmentStore } from './environments/environment-store.js';
import type { FaultStore } from './faults/fault-store.js';
import type { Repository } from './git/repository.js';
import type { RateLimitBucket } from './github/rate-limit.js';
import type { RequestLog } from './github/request-log.js';
import type { IdSequence } from './ids.js';

/**
 * Everything the sandbox simulates, replaced as a whole on reset. A new simulated feature becomes one more
 * store here plus its own route module. `actions` holds timers: dispose it before dropping a world.
 */
export interface SandboxWorld {
  ids: IdSequence;
  repository: Repository;
  ci: CiStore;
  alerts: AlertStore;
  environments: EnvironmentStore;
  deployments: DeploymentStore;
  actions: ActionsStore;
  apps: Record<AppEnvironment, AppInstance>;
  faults: FaultStore;
  requestLog: RequestLog;
  rateLimits: { authenticated: RateLimitBucket; anonymous: RateLimitBucket };
}
