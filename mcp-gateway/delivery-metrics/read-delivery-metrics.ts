import {
  type CommitTimes,
  comparisonsNeeded,
  type DeliveryHistory,
  DORA_BANDS_SOURCE,
  deliveryHistory,
  metricsSeries,
  metricsTrend,
  metricsWindows,
  type WindowMetrics,
  windowMetrics,
} from '../../domain/delivery-metrics.js';
import type { DeploymentMetricsInput, DeploymentMetricsResult } from '../../domain/delivery-metrics-tool.js';
import { failureReason } from '../../domain/failure-reason.js';
import type { readCommitTimes } from '../../workflows/read-commit-times.js';
import { WORKFLOW_TYPES } from '../../workflows/workflow-types.js';
import { runWorkflow } from '../run-workflow.js';
import type { ToolContext } from '../tool-definition.js';
import { COMMIT_TIMES } from './commit-times-cache.js';
import { deploymentsEndedSince } from './deployment-history.js';

/**
 * GitHub comparisons one call may read: a tenth of a personal token's hourly 5,000 requests. The rest wait for the
 * next calls (`comparisons_pending`), newest first, so recent lead times are measured first.
 */
const MAX_COMPARISONS_PER_CALL = 500;
/** Comparisons per readCommitTimes workflow, keeping its input and result payloads small. */
const COMPARISONS_PER_WORKFLOW = 250;

interface LoadedHistory {
  windows: ReturnType<typeof metricsWindows>;
  history: DeliveryHistory;
  deploymentsRead: number;
  commitTimes: CommitTimes;
  githubRequests: number;
  comparisonsPending: number;
  githubError: string | null;
}

/** The deployments of both windows and the commit times of their changes, reading GitHub only for what is missing. */
async function loadHistory(input: DeploymentMetricsInput, context: ToolContext, now: Date): Promise<LoadedHistory> {
  const windows = metricsWindows(now.getTime(), input.window_days);
  const records = await deploymentsEndedSince(context.temporal, input.environment, new Date(windows.previous.start));
  const history = deliveryHistory(records);
  const needed = comparisonsNeeded(history, [windows.current, windows.previous]);
  // Newest first, and at most a budget's share per call: a year of history fills the cache over a few calls.
  const missing = COMMIT_TIMES.missing(needed).reverse();
  const asked = missing.slice(0, MAX_COMPARISONS_PER_CALL);
  const batches: string[][] = [];
  for (let index = 0; index < asked.length; index += COMPARISONS_PER_WORKFLOW)
    batches.push(asked.slice(index, index + COMPARISONS_PER_WORKFLOW));
  // A batch GitHub refused (a spent rate limit) leaves its comparisons pending: the other figures still stand.
  const answers = await Promise.allSettled(
    batches.map((comparisons) =>
      runWorkflow<typeof readCommitTimes>(
        {
          workflowType: WORKFLOW_TYPES.readCommitTimes,
          kind: 'commit_times',
          args: [{ comparisons }],
          environment: input.environment,
        },
        context,
      ),
    ),
  );
  let githubRequests = 0;
  let githubError: string | null = null;
  for (const answer of answers) {
    if (answer.status === 'rejected') {
      githubError = failureReason(answer.reason);
      continue;
    }
    const { result } = answer.value;
    for (const [comparison, times] of Object.entries(result.times)) COMMIT_TIMES.set(comparison, times);
    githubRequests += result.requests;
  }
  return {
    windows,
    history,
    deploymentsRead: records.length,
    commitTimes: COMMIT_TIMES.snapshot(needed),
    githubRequests,
    comparisonsPending: COMMIT_TIMES.missing(needed).length,
    githubError,
  };
}

/** The tool's answer from a loaded history. */
function metricsResult(input: DeploymentMetricsInput, loaded: LoadedHistory, now: Date): DeploymentMetricsResult {
  const current = windowMetrics(loaded.history, loaded.windows.current, loaded.commitTimes);
  const previous = windowMetrics(loaded.history, loaded.windows.previous, loaded.commitTimes);
  return {
    environment: input.environment,
    window_days: input.window_days,
    current,
    previous,
    trend: metricsTrend(current, previous),
    bands_source: DORA_BANDS_SOURCE,
    deployments_read: loaded.deploymentsRead,
    github_requests: loaded.githubRequests,
    comparisons_pending: loaded.comparisonsPending,
    github_error: loaded.githubError,
    retrieved_at: now.toISOString(),
  };
}

/**
 * The four keys of one environment over a window and the window before it: the deployments from Temporal visibility,
 * the commit times of the changes from GitHub's comparisons (only those not cached yet, read by a workflow's
 * activities, since the gateway holds no GitHub client). Says how many GitHub requests that took.
 */
export async function readDeliveryMetrics(
  input: DeploymentMetricsInput,
  context: ToolContext,
  now = new Date(),
): Promise<DeploymentMetricsResult> {
  return metricsResult(input, await loadHistory(input, context, now), now);
}

/**
 * The same four keys, and the figures per slice of the window (`buckets` of them) for the dashboard's trend charts,
 * from one read of the history: visibility and GitHub are asked once for both.
 */
export async function readDeliveryMetricsWithSeries(
  input: DeploymentMetricsInput,
  context: ToolContext,
  buckets: number,
  now = new Date(),
): Promise<{ metrics: DeploymentMetricsResult; series: WindowMetrics[] }> {
  const loaded = await loadHistory(input, context, now);
  return {
    metrics: metricsResult(input, loaded, now),
    series: metricsSeries(loaded.history, loaded.windows.current, buckets, loaded.commitTimes),
  };
}
