import type { AppComponent, AppEnvironment, ComponentMode } from '../control/control-inputs.js';

/** What one deployed environment runs and how each of its components behaves. */
export interface AppInstance {
  environment: AppEnvironment;
  version: string;
  sha: string;
  components: Record<AppComponent, ComponentMode>;
  /** Share (0-1) of user requests (`/api/schedule`) answered 500; a successful deploy resets it (app-metrics.ts). */
  errorRatio?: number;
  /**
   * A canary: a cd.yml run with `traffic_weight` below 100 deployed this version beside the stable one, serving that
   * share of `/api/schedule`. Health endpoints answer for the stable version. A full deploy removes it.
   */
  canary?: { version: string; sha: string; weight: number };
  /** Share (0-1) of the canary's user requests answered 500: the new version's error rate, kept across its steps. */
  canaryErrorRatio?: number;
}

export function healthyAppInstance(environment: AppEnvironment, version: string, sha: string): AppInstance {
  return {
    environment,
    version,
    sha,
    components: {
      api: 'healthy',
      database: 'healthy',
      redis: 'healthy',
      celery_worker: 'healthy',
      celery_beat: 'healthy',
    },
  };
}
