import type { ActivityOptions } from '@temporalio/workflow';

/**
 * A running activity whose worker died is noticed when its heartbeats stop, after this long, and retried at once on
 * a live worker; without it the attempt would be lost for its whole start-to-close timeout (minutes). The worker
 * heartbeats every activity that has this timeout while it runs (activities/heartbeat.ts).
 */
const LOST_WORKER_HEARTBEAT_TIMEOUT = '10 seconds';

/**
 * Every GitHub call, read or write. This retry policy is the only layer that retries GitHub (Octokit never does): a
 * 5xx, a timeout or a cut-short answer is tried again 2 s, 4 s, 8 s and 16 s later; a rate limit comes back after
 * GitHub's own delay (nextRetryDelay), or fails at once when that delay does not fit in the schedule-to-close budget;
 * bad credentials, missing permissions and 404s are non-retryable (activities/github/errors.ts). A write's retry
 * first looks for what its earlier attempt made, so a lost answer never records or dispatches twice; the heartbeat
 * makes a write lost with its worker retry within seconds rather than after the two-minute attempt.
 */
export const GITHUB_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '2 minutes',
  scheduleToCloseTimeout: '5 minutes',
  heartbeatTimeout: LOST_WORKER_HEARTBEAT_TIMEOUT,
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 5 },
};

/**
 * A GitHub read a deployment can do without (its commits' times at go-live): the same policy cut short, so a GitHub
 * that answers errors holds the environment seconds, and one that hangs a minute at most, never five. Three attempts,
 * 2 s and 4 s apart; a rate limit whose delay does not fit the minute fails at once.
 */
export const GITHUB_OPTIONAL_READ_OPTIONS: ActivityOptions = {
  ...GITHUB_OPTIONS,
  startToCloseTimeout: '1 minute',
  scheduleToCloseTimeout: '1 minute',
  retry: { ...GITHUB_OPTIONS.retry, maximumAttempts: 3 },
};

/**
 * GitHub writes (the deployment record, the dispatch): the options of every GitHub call. Named apart where they are
 * used because a write's retry must first look for what its lost attempt made.
 */
export const GITHUB_WRITE_OPTIONS: ActivityOptions = GITHUB_OPTIONS;

/**
 * Watching a cd.yml run: one check per attempt, retried at the check's own delay (nextRetryDelay: the poll interval),
 * so the retry policy is the poll loop; the schedule-to-close timeout is the longest a deploy may take. Other
 * failures (GitHub's 5xx, a check lost with its worker) are retried at once and then backed off.
 */
export const RUN_WATCH_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '1 minute',
  scheduleToCloseTimeout: '2 hours',
  heartbeatTimeout: LOST_WORKER_HEARTBEAT_TIMEOUT,
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s' },
};

/** Local work of the worker (audit lines, token checks, version reads): quick, and safe to repeat. */
export const WORKER_LOCAL_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  heartbeatTimeout: LOST_WORKER_HEARTBEAT_TIMEOUT,
  retry: { maximumAttempts: 5 },
};

/**
 * Smoke-test probes, within the run's `timeout_seconds` (queueing included). A probe's verdict is its result, never
 * an error, so a retry cannot hide a flaky service: only a probe whose worker died is run again.
 */
export function smokeProbeOptions(budgetMs: number): ActivityOptions {
  return {
    scheduleToCloseTimeout: budgetMs,
    heartbeatTimeout: LOST_WORKER_HEARTBEAT_TIMEOUT,
    retry: { initialInterval: '1s', maximumAttempts: 3 },
  };
}
