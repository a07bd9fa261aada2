import type { ActivityOptions } from '@temporalio/workflow';

/**
 * GitHub reads: Octokit already retried brief faults inside the attempt, so Temporal adds few attempts, spaced out;
 * rate limits come back with GitHub's own delay (nextRetryDelay), bad credentials or permissions are non-retryable.
 */
export const GITHUB_READ_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 3 },
};

/** Local work of the worker (audit lines, token checks, version reads): quick, and safe to repeat. */
export const WORKER_LOCAL_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 5 },
};

/**
 * GitHub writes (the deployment record, the dispatch): as reads, and the activity heartbeats while it writes, so a
 * worker that dies with the write in flight is noticed within seconds; the retry then looks for what the lost
 * attempt made before writing again, instead of the deployment waiting out the two-minute attempt.
 */
export const GITHUB_WRITE_OPTIONS: ActivityOptions = { ...GITHUB_READ_OPTIONS, heartbeatTimeout: '10 seconds' };
