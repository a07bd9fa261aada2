import type { CiStore } from '../ci/ci-store.js';

/**
 * The contexts that keep GitHub from creating a deployment of `sha`: of `required` (default: every check run and
 * commit status the commit has), those that are not green, or missing. A commit without any context passes, as on
 * GitHub, and `required: []` skips the check.
 */
export function unmetContexts(ci: CiStore, sha: string, required: readonly string[] | undefined): string[] {
  const states = new Map<string, string>();
  for (const run of ci.checkRuns(sha)) states.set(run.name, run.conclusion ?? run.status);
  for (const status of ci.statuses(sha)) states.set(status.context, status.state);
  const wanted = required ?? [...states.keys()];
  return wanted.filter((context) => states.get(context) !== 'success');
}
