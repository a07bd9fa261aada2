import type { ActivityOptions } from '@temporalio/workflow';

/**
 * Every GitHub call, read or write. This retry policy is the only layer that retries GitHub (Octokit never does): a
 * 5xx, a timeout or a cut-short answer is tried again 2 s, 4 s, 8 s and 16 s later; a rate limit comes back after
 * GitHub's own delay (nextRetryDelay), or fails at once when that delay does not fit in the schedule-to-close budget;
 * bad credentials, missing permissions and 404s are non-retryable (activities/github/errors.ts). A write's retry
 * first looks for what its earlier attempt made, so a lost answer never records or dispatches twice.
 */
export const GITHUB_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '2 minutes',
  scheduleToCloseTimeout: '5 minutes',
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 5 },
};

/** Local work of the worker (audit lines, token checks, version reads): quick, and safe to repeat. */
export const WORKER_LOCAL_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 5 },
};

/**
 * GitHub writes (the deployment record, the dispatch): as every GitHub call, and the activity heartbeats while it writes, so a
 * worker that dies with the write in flight is noticed within seconds; the retry then looks for what the lost
 * attempt made before writing again, instead of the deployment waiting out the two-minute attempt.
 */
export const GITHUB_WRITE_OPTIONS: ActivityOptions = { ...GITHUB_OPTIONS, heartbeatTimeout: '10 seconds' };
