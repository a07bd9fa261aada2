import type { ActivityOptions } from '@temporalio/workflow';

/**
 * GitHub reads: Octokit already retried brief faults inside the attempt, so Temporal adds few attempts, spaced out;
 * rate limits come back with GitHub's own delay (nextRetryDelay), bad credentials or permissions are non-retryable.
 */
export const GITHUB_READ_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 3 },
};

/** Why an activity ultimately failed, in the words of its innermost cause. */
export function failureReason(error: unknown): string {
  let current: unknown = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return current instanceof Error ? current.message : String(current);
}
