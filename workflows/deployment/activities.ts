import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities/index.js';
import {
  GITHUB_OPTIONAL_READ_OPTIONS,
  GITHUB_OPTIONS,
  GITHUB_WRITE_OPTIONS,
  RUN_WATCH_OPTIONS,
  WORKER_LOCAL_OPTIONS,
} from '../activity-options.js';

// The deployment's activities, by the options each kind of call needs.
export const github = proxyActivities<Activities>(GITHUB_OPTIONS);
export const githubOptional = proxyActivities<Activities>(GITHUB_OPTIONAL_READ_OPTIONS);
export const githubWrite = proxyActivities<Activities>(GITHUB_WRITE_OPTIONS);
export const local = proxyActivities<Activities>(WORKER_LOCAL_OPTIONS);
export const runWatch = proxyActivities<Activities>(RUN_WATCH_OPTIONS);
