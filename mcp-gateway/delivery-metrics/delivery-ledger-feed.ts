import { type Client, WithStartWorkflowOperation, WorkflowNotFoundError } from '@temporalio/client';
import type { SearchAttributePair } from '@temporalio/common';
import { deliveryLedgerId, LEDGER_BATCH_SIZE, LEDGER_HORIZON_MS } from '../../domain/delivery-ledger.js';
import { type DeliveryRecord, deliveryRecord } from '../../domain/delivery-metrics.js';
import { ENVIRONMENTS, type Environment } from '../../domain/environment.js';
import { failureReason } from '../../domain/failure-reason.js';
import { SEARCH_ATTRIBUTES } from '../../domain/search-attributes.js';
import type { deliveryLedger } from '../../workflows/delivery-ledger.js';
import { ledgerCoverageQuery, recordDeploymentsUpdate } from '../../workflows/delivery-ledger-messages.js';
import { WORKFLOW_TYPES } from '../../workflows/workflow-types.js';
import { infoFromVisibility } from '../deployment-client.js';
import { environmentDeployments } from './deployment-history.js';

/** Visibility shows a close a moment after it happens: each reading goes back this far over the last one. */
const VISIBILITY_LAG_MS = 60_000;

/** Dispatched deployments of the environment that closed at or after `from`, oldest first, a page at a time. */
async function* closedSince(temporal: Client, environment: Environment, from: number) {
  const query = `${environmentDeployments(environment)} AND ExecutionStatus != 'Running' AND CloseTime >= '${new Date(from).toISOString()}'`;
  for await (const execution of temporal.workflow.list({ query, pageSize: LEDGER_BATCH_SIZE })) {
    const info = infoFromVisibility(execution);
    if (info?.logs_url) yield deliveryRecord(info);
  }
}

async function readCoverage(temporal: Client, workflowId: string) {
  try {
    return await temporal.workflow.getHandle(workflowId).query(ledgerCoverageQuery);
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return null;
    throw error;
  }
}

/** What this process last fed a ledger: up to when, and which deployments (the next reading overlaps it). */
interface LastFeed {
  readUntil: number;
  deploymentIds: Set<string>;
}

/**
 * Brings the environment's delivery ledger up to date with Temporal visibility: the deployments that closed since
 * its last reading, or, for a ledger not started yet, every one within its horizon (read once per environment,
 * ever). Starts the ledger when it does not run. Sends nothing when nothing new closed, so a dashboard's refreshes
 * add nothing to the ledger's history.
 */
async function feedLedger(
  temporal: Client,
  taskQueue: string,
  environment: Environment,
  last: LastFeed | undefined,
  wholeHistory = false,
): Promise<LastFeed> {
  const workflowId = deliveryLedgerId(taskQueue, environment);
  const until = wholeHistory ? null : (last?.readUntil ?? (await readCoverage(temporal, workflowId))?.until ?? null);
  const readUntil = Date.now();
  const from = until !== null ? until - VISIBILITY_LAG_MS : readUntil - LEDGER_HORIZON_MS;
  const send = (records: DeliveryRecord[]) =>
    temporal.workflow.executeUpdateWithStart(recordDeploymentsUpdate, {
      args: [{ records, readUntil }],
      startWorkflowOperation: new WithStartWorkflowOperation<typeof deliveryLedger>(WORKFLOW_TYPES.deliveryLedger, {
        workflowId,
        taskQueue,
        args: [{ environment }],
        workflowIdConflictPolicy: 'USE_EXISTING',
        typedSearchAttributes: [
          { key: SEARCH_ATTRIBUTES.kind, value: 'delivery_ledger' },
          { key: SEARCH_ATTRIBUTES.environment, value: environment },
        ] as SearchAttributePair[],
      }),
    });
  const deploymentIds = new Set<string>();
  let batch: DeliveryRecord[] = [];
  let startedAnew = false;
  const sendBatch = async () => {
    const answer = await send(batch);
    startedAnew ||= until !== null && answer.untilBefore === null;
    batch = [];
  };
  for await (const record of closedSince(temporal, environment, from)) {
    deploymentIds.add(record.deployment_id);
    if (last?.deploymentIds.has(record.deployment_id)) continue;
    batch.push(record);
    if (batch.length >= LEDGER_BATCH_SIZE) await sendBatch();
  }
  // A new ledger is started even with nothing to record, so that it knows how far visibility was read.
  if (batch.length > 0 || until === null) await sendBatch();
  // Someone ended the ledger (terminated, reset) and this reading started a new one: it gets the whole history.
  if (startedAnew) return feedLedger(temporal, taskQueue, environment, undefined, true);
  return { readUntil, deploymentIds };
}

/** Per Temporal client and environment: the last feeding, and one feeding at a time (a refresh and a call share it). */
const feeds = new WeakMap<Client, Map<Environment, { last?: LastFeed; ongoing?: Promise<LastFeed> }>>();

/** Feeds the environment's ledger (see feedLedger) and returns its workflow id, once it is up to date. */
export async function bringLedgerUpToDate(
  temporal: Client,
  taskQueue: string,
  environment: Environment,
): Promise<string> {
  const perClient = feeds.get(temporal) ?? new Map();
  feeds.set(temporal, perClient);
  const state = perClient.get(environment) ?? {};
  perClient.set(environment, state);
  state.ongoing ??= feedLedger(temporal, taskQueue, environment, state.last).finally(() => {
    state.ongoing = undefined;
  });
  state.last = await state.ongoing;
  return deliveryLedgerId(taskQueue, environment);
}

/**
 * At the gateway's start, every environment's ledger is started and brought up to date in the background: from then
 * on each deployment tells it how it ended, so nothing is lost to retention even if no one reads the metrics, and the
 * first reading of a long history is done before anyone asks. A failure is only reported: the next reading retries.
 */
export function startDeliveryLedgers(temporal: Client, taskQueue: string, report: (line: string) => void): void {
  for (const environment of ENVIRONMENTS)
    bringLedgerUpToDate(temporal, taskQueue, environment).catch((error: unknown) =>
      report(
        `gateway: the ${environment} delivery ledger is not up to date (${failureReason(error)}); the next metrics reading tries again`,
      ),
    );
}
