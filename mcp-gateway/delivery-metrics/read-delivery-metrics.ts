import type { DeliveryFigures } from '../../domain/delivery-ledger.js';
import { DORA_BANDS_SOURCE, metricsTrend, type WindowMetrics } from '../../domain/delivery-metrics.js';
import type { DeploymentMetricsInput, DeploymentMetricsResult } from '../../domain/delivery-metrics-tool.js';
import { failureReason } from '../../domain/failure-reason.js';
import { deliveryFiguresQuery, recordCommitTimesUpdate } from '../../workflows/delivery-ledger-messages.js';
import type { readCommitTimes } from '../../workflows/read-commit-times.js';
import { WORKFLOW_TYPES } from '../../workflows/workflow-types.js';
import { runWorkflow } from '../run-workflow.js';
import type { ToolContext } from '../tool-definition.js';
import { bringLedgerUpToDate } from './delivery-ledger-feed.js';

/** Comparisons per readCommitTimes workflow, keeping its input and result payloads small. */
const COMPARISONS_PER_WORKFLOW = 250;

interface LedgerReading {
  figures: DeliveryFigures;
  githubRequests: number;
  githubError: string | null;
}

/**
 * What GitHub's comparisons say of the changes the ledger cannot measure yet (at most COMPARISONS_PER_READING, newest
 * first; only deployments that did not record their commits going live), by ledger id.
 */
async function readMissingCommitTimes(
  asked: DeliveryFigures['comparisons_needed'],
  input: DeploymentMetricsInput,
  context: ToolContext,
) {
  const batches: (typeof asked)[] = [];
  for (let index = 0; index < asked.length; index += COMPARISONS_PER_WORKFLOW)
    batches.push(asked.slice(index, index + COMPARISONS_PER_WORKFLOW));
  // A batch GitHub refused (a spent rate limit) leaves its comparisons pending: the other figures still stand.
  const answers = await Promise.allSettled(
    batches.map(async (batch) => {
      const { result } = await runWorkflow<typeof readCommitTimes>(
        {
          workflowType: WORKFLOW_TYPES.readCommitTimes,
          kind: 'commit_times',
          args: [{ comparisons: batch.map((change) => change.comparison) }],
          environment: input.environment,
        },
        context,
      );
      const times: Record<string, readonly string[]> = {};
      for (const change of batch) {
        const found = result.times[change.comparison];
        if (found) times[change.id] = found;
      }
      return { times, requests: result.requests };
    }),
  );
  const times: Record<string, readonly string[]> = {};
  let requests = 0;
  let error: string | null = null;
  for (const answer of answers) {
    if (answer.status === 'rejected') error = failureReason(answer.reason);
    else {
      Object.assign(times, answer.value.times);
      requests += answer.value.requests;
    }
  }
  return { times, requests, error };
}

/**
 * The environment's figures from its delivery ledger (workflows/delivery-ledger.ts), once the ledger has the
 * deployments closed since its last reading and the commit times of older changes it lacked (from GitHub, within
 * the budget). The figures are computed by the ledger, which holds the history: one query, whatever its length.
 */
async function readLedger(
  input: DeploymentMetricsInput,
  context: ToolContext,
  now: Date,
  buckets: number,
): Promise<LedgerReading> {
  const ledgerId = await bringLedgerUpToDate(context.temporal, context.config.taskQueue, input.environment);
  const ledger = context.temporal.workflow.getHandle(ledgerId);
  const request = { window_days: input.window_days, now: now.getTime(), buckets };
  const figures = await ledger.query(deliveryFiguresQuery, request);
  if (figures.comparisons_needed.length === 0) return { figures, githubRequests: 0, githubError: null };
  const learnt = await readMissingCommitTimes(figures.comparisons_needed, input, context);
  if (Object.keys(learnt.times).length === 0)
    return { figures, githubRequests: learnt.requests, githubError: learnt.error };
  await ledger.executeUpdate(recordCommitTimesUpdate, { args: [{ times: learnt.times }] });
  return {
    figures: await ledger.query(deliveryFiguresQuery, request),
    githubRequests: learnt.requests,
    githubError: learnt.error,
  };
}

/** The tool's answer from a ledger reading. */
function metricsResult(input: DeploymentMetricsInput, reading: LedgerReading, now: Date): DeploymentMetricsResult {
  const { current, previous } = reading.figures;
  return {
    environment: input.environment,
    window_days: input.window_days,
    current,
    previous,
    trend: metricsTrend(current, previous),
    bands_source: DORA_BANDS_SOURCE,
    deployments_read: reading.figures.deployments_read,
    github_requests: reading.githubRequests,
    comparisons_pending: reading.figures.comparisons_pending,
    github_error: reading.githubError,
    retrieved_at: now.toISOString(),
  };
}

/**
 * The four keys of one environment over a window and the window before it, from its delivery ledger. Says how many
 * GitHub requests that took (only changes whose commits were not recorded at go-live need any).
 */
export async function readDeliveryMetrics(
  input: DeploymentMetricsInput,
  context: ToolContext,
  now = new Date(),
): Promise<DeploymentMetricsResult> {
  return metricsResult(input, await readLedger(input, context, now, 0), now);
}

/** The same four keys, and the figures per slice of the window (`buckets` of them) for the dashboard's trend charts. */
export async function readDeliveryMetricsWithSeries(
  input: DeploymentMetricsInput,
  context: ToolContext,
  buckets: number,
  now = new Date(),
): Promise<{ metrics: DeploymentMetricsResult; series: WindowMetrics[] }> {
  const reading = await readLedger(input, context, now, buckets);
  return { metrics: metricsResult(input, reading, now), series: reading.figures.series };
}
