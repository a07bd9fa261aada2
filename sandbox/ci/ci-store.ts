import type { IdSequence } from '../ids.js';

export type CheckOutcome = 'success' | 'failure' | 'pending';
export type CommitStatusState = 'success' | 'failure' | 'pending' | 'error';

export interface CheckRunRecord {
  id: number;
  name: string;
  checkSuiteId: number;
  workflowRunId: number;
  status: 'in_progress' | 'completed';
  conclusion: 'success' | 'failure' | null;
  startedAt: Date;
  completedAt: Date | null;
}

export interface CommitStatusRecord {
  id: number;
  context: string;
  state: CommitStatusState;
  description: string;
  createdAt: Date;
  updatedAt: Date;
}

/** What the repository's CI reports for a green commit: two Actions jobs and one external lint status. */
const DEFAULT_CHECK_RUNS = ['ci / test', 'build-images'];
const DEFAULT_STATUS_CONTEXT = 'ci/lint';

const STATUS_DESCRIPTIONS: Record<CommitStatusState, string> = {
  success: 'Lint passed',
  failure: 'Lint found problems',
  pending: 'Lint is running',
  error: 'Lint could not run',
};

/** Check runs and commit statuses per commit SHA. */
export class CiStore {
  readonly #checkRuns = new Map<string, CheckRunRecord[]>();
  readonly #statuses = new Map<string, CommitStatusRecord[]>();

  constructor(private readonly ids: IdSequence) {}

  checkRuns(sha: string): readonly CheckRunRecord[] {
    return this.#checkRuns.get(sha) ?? [];
  }

  statuses(sha: string): readonly CommitStatusRecord[] {
    return this.#statuses.get(sha) ?? [];
  }

  recordGreenCi(sha: string, at: Date): void {
    this.setCheckRuns(sha, 'success', undefined, at);
    this.setStatus(sha, 'success', undefined, at);
  }

  /** Sets every check run of the commit, or only (creating it if needed) the one called `name`. */
  setCheckRuns(sha: string, outcome: CheckOutcome, name: string | undefined, at: Date): void {
    const runs = this.#checkRuns.get(sha) ?? [];
    this.#checkRuns.set(sha, runs);
    const wanted = name ? [name] : runs.length > 0 ? runs.map((run) => run.name) : DEFAULT_CHECK_RUNS;
    for (const runName of wanted) {
      let run = runs.find((candidate) => candidate.name === runName);
      if (!run) {
        // Jobs of one workflow run share its check suite, as on GitHub Actions.
        const sibling = runs[0];
        run = {
          id: this.ids.next(),
          name: runName,
          checkSuiteId: sibling?.checkSuiteId ?? this.ids.next(),
          workflowRunId: sibling?.workflowRunId ?? this.ids.next(),
          status: 'in_progress',
          conclusion: null,
          startedAt: at,
          completedAt: null,
        };
        runs.push(run);
      }
      run.startedAt = outcome === 'pending' ? at : run.startedAt;
      run.status = outcome === 'pending' ? 'in_progress' : 'completed';
      run.conclusion = outcome === 'pending' ? null : outcome;
      run.completedAt = outcome === 'pending' ? null : at;
    }
  }

  /** Sets every status context of the commit, or only (creating it if needed) `context`. */
  setStatus(sha: string, state: CommitStatusState, context: string | undefined, at: Date): void {
    const statuses = this.#statuses.get(sha) ?? [];
    this.#statuses.set(sha, statuses);
    const wanted = context
      ? [context]
      : statuses.length > 0
        ? statuses.map((status) => status.context)
        : [DEFAULT_STATUS_CONTEXT];
    for (const statusContext of wanted) {
      const existing = statuses.find((status) => status.context === statusContext);
      // GitHub keeps the history of a context; only the latest one counts, so replace it with a new status.
      const status: CommitStatusRecord = {
        id: this.ids.next(),
        context: statusContext,
        state,
        description: STATUS_DESCRIPTIONS[state],
        createdAt: at,
        updatedAt: at,
      };
      if (existing) statuses.splice(statuses.indexOf(existing), 1, status);
      else statuses.push(status);
    }
  }
}
