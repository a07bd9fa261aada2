import type { ActionsOutcomeInput, AppComponent, ComponentMode } from '../control/control-inputs.js';
import { type CdJob, cdJobSteps, defaultFailingStep, defaultFailureMessage, type RunContext } from './cd-workflow.js';

export type RunConclusion = ActionsOutcomeInput['conclusion'];

/** A queued outcome as steered, waiting for the dispatch that takes it. */
export interface QueuedOutcome extends ActionsOutcomeInput {
  id: string;
}

/** What one run will do, fixed when it is dispatched. */
export interface RunOutcome {
  conclusion: RunConclusion;
  /** Where a failure or a cancellation stops the run (for a success: the deploy step, unused). */
  stopJob: CdJob;
  stopStep: string;
  /** The line the stopping step's log explains a failure with. */
  message: string;
  /** Applied to the app when a successful run deploys; components not named become healthy. */
  components: Partial<Record<AppComponent, ComponentMode>>;
}

/**
 * Why an outcome cannot be queued: a failing step the failing job does not have, checked for the outcome's
 * environment (or either). A step may be named by its beginning (`Run docker build`), as its full name embeds the
 * commit.
 */
export function outcomeProblem(input: ActionsOutcomeInput): string | undefined {
  const { failing_step: step } = input;
  if (step === undefined) return undefined;
  const job = input.failing_job ?? 'deploy';
  const environments = input.environment ? [input.environment] : ['staging', 'production'];
  const names = environments.flatMap((environment) =>
    cdJobSteps(job, { environment, ref: '<ref>', sha: '<sha>' }).map((candidate) => candidate.name),
  );
  if (names.some((name) => name.startsWith(step))) return undefined;
  return `Job ${job} has no step named '${step}'; its steps: ${[...new Set(names)].join(', ')}`;
}

/**
 * Fixes what a run does. A failure in `test` while `skip_tests` skips it cannot happen there, so it lands on the
 * deploy step instead. A failing step that does not fit this run (another environment's deploy step) falls back to
 * the job's main step.
 */
export function resolveOutcome(queued: QueuedOutcome | undefined, context: RunContext, skipTests: boolean): RunOutcome {
  const conclusion = queued?.conclusion ?? 'success';
  const requestedJob = queued?.failing_job ?? 'deploy';
  const job = requestedJob === 'test' && skipTests ? 'deploy' : requestedJob;
  const stepNames = cdJobSteps(job, context).map((step) => step.name);
  const requestedStep = job === requestedJob ? queued?.failing_step : undefined;
  const stopStep =
    (requestedStep === undefined ? undefined : stepNames.find((name) => name.startsWith(requestedStep))) ??
    defaultFailingStep(job, context);
  const explanation = queued?.message ?? defaultFailureMessage(job, context);
  return {
    conclusion,
    stopJob: job,
    stopStep,
    message: `${explanation} (simulated by the sandbox: ${conclusion} outcome)`,
    components: queued?.components ?? {},
  };
}
