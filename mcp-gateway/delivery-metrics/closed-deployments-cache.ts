import type { Client } from '@temporalio/client';
import type { DeploymentInfo } from '../../domain/deployment.js';
import type { Environment } from '../../domain/environment.js';
import { infoFromVisibility } from '../deployment-client.js';

/** Visibility's largest page. */
const PAGE_SIZE = 1000;
/** Visibility shows a close a moment after it happens: each read goes back this far over what was read before. */
const VISIBILITY_LAG_MS = 60_000;

interface ClosedDeployment {
  info: DeploymentInfo;
  closedAt: number;
}

/** What has been read of one environment's closed deployments: every close in [from, until). */
interface Coverage {
  from: number;
  until: number;
  byId: Map<string, ClosedDeployment>;
}

/**
 * A closed deployment's memo never changes again, so the gateway keeps what it has read (a few hundred bytes per
 * deployment: ten thousand are a few MB) and asks visibility only for what closed since, plus any older stretch a
 * longer window needs. The first read of a long history pays for every page; later reads cost one short query.
 * One cache per Temporal client, so two clusters in one process never mix.
 */
const caches = new WeakMap<Client, Map<Environment, Coverage>>();

async function readClosed(temporal: Client, scope: string, from: number, until: number | null) {
  const range = `CloseTime >= '${new Date(from).toISOString()}'${until === null ? '' : ` AND CloseTime < '${new Date(until).toISOString()}'`}`;
  const found: ClosedDeployment[] = [];
  for await (const execution of temporal.workflow.list({
    query: `${scope} AND ExecutionStatus != 'Running' AND ${range}`,
    pageSize: PAGE_SIZE,
  })) {
    const info = infoFromVisibility(execution);
    if (info && execution.closeTime) found.push({ info, closedAt: execution.closeTime.getTime() });
  }
  return found;
}

/** The environment's deployments (`scope`: its visibility filter) that closed at or after `since`, oldest reads cached. */
export async function closedDeploymentsSince(
  temporal: Client,
  environment: Environment,
  scope: string,
  since: Date,
): Promise<DeploymentInfo[]> {
  const wanted = since.getTime();
  const now = Date.now();
  const perClient = caches.get(temporal) ?? new Map<Environment, Coverage>();
  caches.set(temporal, perClient);
  const known = perClient.get(environment);
  const coverage: Coverage = known ?? { from: wanted, until: now, byId: new Map() };
  const reads = known
    ? [
        readClosed(temporal, scope, known.until - VISIBILITY_LAG_MS, null),
        ...(wanted < known.from ? [readClosed(temporal, scope, wanted, known.from)] : []),
      ]
    : [readClosed(temporal, scope, wanted, null)];
  for (const closed of (await Promise.all(reads)).flat()) coverage.byId.set(closed.info.deployment_id, closed);
  coverage.from = Math.min(coverage.from, wanted);
  coverage.until = now;
  perClient.set(environment, coverage);
  return [...coverage.byId.values()].filter((closed) => closed.closedAt >= wanted).map((closed) => closed.info);
}
