import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities/index.js';
import { GITHUB_OPTIONS, GITHUB_WRITE_OPTIONS, WORKER_LOCAL_OPTIONS } from '../activity-options.js';

// The deployment's activities, by the options each kind of call needs.
export const github = proxyActivities<Activities>(GITHUB_OPTIONS);
export const githubWrite = proxyActivities<Activities>(GITHUB_WRITE_OPTIONS);
export const local = proxyActivities<Activities>(WORKER_LOCAL_OPTIONS);
// The run is polled by retrying one check: its own delay (nextRetryDelay) spaces the checks, the schedule-to-close
// timeout is the longest a deploy may take.
export const runWatch = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  scheduleToCloseTimeout: '2 hours',
  retry: { initialInterval: '10s', backoffCoefficient: 1 },
});
