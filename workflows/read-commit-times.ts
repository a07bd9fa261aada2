import { proxyActivities } from '@temporalio/workflow';
import type { CommitTimesInput, CommitTimesResult } from '../activities/github/commit-times.js';
import type { Activities } from '../activities/index.js';
import { GITHUB_OPTIONS } from './activity-options.js';

const github = proxyActivities<Activities>(GITHUB_OPTIONS);

/** Comparisons per activity: a retry repeats at most this many GitHub reads. */
const BATCH = 25;

/**
 * The commit times behind the lead-time metric: GitHub's comparisons between each deployment's previous live commit
 * and its own, read by activities in batches. The gateway asks only for comparisons it has not cached.
 */
export async function readCommitTimes(input: CommitTimesInput): Promise<CommitTimesResult> {
  const batches: string[][] = [];
  for (let index = 0; index < input.comparisons.length; index += BATCH)
    batches.push(input.comparisons.slice(index, index + BATCH));
  const results = await Promise.all(batches.map((comparisons) => github.readCommitTimes({ comparisons })));
  return {
    times: Object.assign({}, ...results.map((result) => result.times)),
    requests: results.reduce((sum, result) => sum + result.requests, 0),
  };
}
