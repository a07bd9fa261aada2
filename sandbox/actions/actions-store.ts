import type { AppInstance } from '../apps/app-instance.js';
import type { ActionsOutcomeInput, AppEnvironment } from '../control/control-inputs.js';
import type { Account } from '../github/payloads/users.js';
import type { IdSequence } from '../ids.js';
import { CD_JOBS, type CdJob, type RunContext } from './cd-workflow.js';
import type { CdInputs } from './dispatch-inputs.js';
import { type QueuedOutcome, type RunConclusion, type RunOutcome, resolveOutcome } from './outcomes.js';

export type RunStatus = 'queued' | 'in_progress' | 'completed';

export interface ActionsTiming {
  queued_ms: number;
  run_ms: number;
}

export interface ActionsFeatures {
  /** false: answer like a GitHub Enterprise Server that predates `return_run_details`. */
  return_run_details: boolean;
}

export const DEFAULT_TIMING: Readonly<ActionsTiming> = { queued_ms: 300, run_ms: 1500 };
/** How long GitHub takes to stop a run after a cancel request. */
const CANCEL_DELAY_MS = 100;

export interface JobRecord {
  id: number;
  name: CdJob;
}

export interface WorkflowRunRecord {
  id: number;
  runNumber: number;
  checkSuiteId: number;
  event: 'workflow_dispatch';
  /** The branch or tag name dispatched on. */
  headBranch: string;
  headSha: string;
  actor: Account;
  inputs: CdInputs;
  outcome: RunOutcome;
  /** The timing when dispatched: later changes do not stretch a run already going. */
  timing: ActionsTiming;
  status: RunStatus;
  conclusion: RunConclusion | null;
  createdAt: Date;
  updatedAt: Date;
  startedAt: Date | null;
  completedAt: Date | null;
  cancelRequestedAt: Date | null;
  jobs: JobRecord[];
}

export interface NewDispatch {
  ref: string;
  sha: string;
  inputs: CdInputs;
  actor: Account;
}

/**
 * Runs of cd.yml, driven by real timers: queued, then in progress, then completed with the outcome fixed at
 * dispatch. A successful run deploys: the app of its environment then reports the run's ref and commit. Timers
 * are the only thing here that outlives a request, so `dispose()` must run on reset and on close.
 */
export class ActionsStore {
  readonly timing: ActionsTiming = { ...DEFAULT_TIMING };
  readonly features: ActionsFeatures = { return_run_details: true };
  readonly #runs: WorkflowRunRecord[] = [];
  readonly #outcomes: QueuedOutcome[] = [];
  // At most one pending transition per run.
  readonly #timers = new Map<number, NodeJS.Timeout>();
  #lastRunNumber = 0;
  #lastOutcome = 0;

  constructor(
    private readonly ids: IdSequence,
    private readonly apps: Record<AppEnvironment, AppInstance>,
    /** When cd.yml was added to the repository. */
    readonly workflowCreatedAt: Date,
  ) {}

  /** Newest first, as GitHub lists runs. */
  list(): WorkflowRunRecord[] {
    return [...this.#runs].reverse();
  }

  get(id: number): WorkflowRunRecord | undefined {
    return this.#runs.find((run) => run.id === id);
  }

  job(id: number): { run: WorkflowRunRecord; job: JobRecord } | undefined {
    for (const run of this.#runs) {
      const job = run.jobs.find((candidate) => candidate.id === id);
      if (job) return { run, job };
    }
    return undefined;
  }

  queueOutcome(input: ActionsOutcomeInput): QueuedOutcome {
    this.#lastOutcome += 1;
    const outcome = { id: `outcome-${this.#lastOutcome}`, ...input };
    this.#outcomes.push(outcome);
    return outcome;
  }

  clearOutcomes(): void {
    this.#outcomes.length = 0;
  }

  dispatch({ ref, sha, inputs, actor }: NewDispatch): WorkflowRunRecord {
    const now = new Date();
    const context: RunContext = { environment: inputs.environment, ref, sha };
    this.#lastRunNumber += 1;
    const run: WorkflowRunRecord = {
      id: this.ids.next(),
      runNumber: this.#lastRunNumber,
      checkSuiteId: this.ids.next(),
      event: 'workflow_dispatch',
      headBranch: ref,
      headSha: sha,
      actor,
      inputs,
      outcome: resolveOutcome(this.#takeOutcome(inputs.environment), context, inputs.skip_tests),
      timing: { ...this.timing },
      status: 'queued',
      conclusion: null,
      createdAt: now,
      updatedAt: now,
      startedAt: null,
      completedAt: null,
      cancelRequestedAt: null,
      jobs: CD_JOBS.map((name) => ({ id: this.ids.next(), name })),
    };
    this.#runs.push(run);
    this.#schedule(run, run.timing.queued_ms, () => this.#start(run));
    return run;
  }

  /** Asks the run to stop; false when it has already completed. It completes as cancelled shortly after. */
  cancel(run: WorkflowRunRecord): boolean {
    if (run.status === 'completed') return false;
    if (run.cancelRequestedAt) return true;
    run.cancelRequestedAt = new Date();
    this.#schedule(run, CANCEL_DELAY_MS, () => this.#complete(run, 'cancelled'));
    return true;
  }

  /** Timers still pending: none after `dispose()`. */
  get pendingTimers(): number {
    return this.#timers.size;
  }

  dispose(): void {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }

  #takeOutcome(environment: AppEnvironment): QueuedOutcome | undefined {
    const index = this.#outcomes.findIndex((outcome) => !outcome.environment || outcome.environment === environment);
    return index === -1 ? undefined : this.#outcomes.splice(index, 1)[0];
  }

  #schedule(run: WorkflowRunRecord, ms: number, transition: () => void): void {
    clearTimeout(this.#timers.get(run.id));
    this.#timers.set(
      run.id,
      setTimeout(() => {
        this.#timers.delete(run.id);
        transition();
      }, ms),
    );
  }

  #start(run: WorkflowRunRecord): void {
    const now = new Date();
    Object.assign(run, { status: 'in_progress', startedAt: now, updatedAt: now });
    this.#schedule(run, run.timing.run_ms, () => this.#complete(run, run.outcome.conclusion));
  }

  #complete(run: WorkflowRunRecord, conclusion: RunConclusion): void {
    const now = new Date();
    Object.assign(run, { status: 'completed', conclusion, completedAt: now, updatedAt: now });
    if (conclusion !== 'success') return;
    const app = this.apps[run.inputs.environment];
    const weight = run.inputs.traffic_weight ?? 100;
    if (weight < 100) {
      app.canary = { version: run.headBranch, sha: run.headSha, weight };
      return;
    }
    // The canary's version taking all traffic keeps its error rate; any other version starts clean.
    const promotedCanary = app.canary?.sha === run.headSha;
    app.version = run.headBranch;
    app.sha = run.headSha;
    app.components = {
      api: 'healthy',
      database: 'healthy',
      redis: 'healthy',
      celery_worker: 'healthy',
      celery_beat: 'healthy',
      ...run.outcome.components,
    };
    app.errorRatio = promotedCanary ? (app.canaryErrorRatio ?? 0) : 0;
    delete app.canary;
    app.canaryErrorRatio = 0;
  }
}
