import type { JobRecord, RunStatus, WorkflowRunRecord } from './actions-store.js';
import { cdJobSteps, type RunContext, type StepTemplate } from './cd-workflow.js';

export type StepConclusion = 'success' | 'failure' | 'cancelled' | 'skipped';

export interface StepView {
  template: StepTemplate;
  number: number;
  status: RunStatus;
  conclusion: StepConclusion | null;
  startedAt: Date | null;
  completedAt: Date | null;
}

export interface JobView {
  record: JobRecord;
  status: RunStatus;
  conclusion: StepConclusion | null;
  startedAt: Date | null;
  completedAt: Date | null;
  steps: StepView[];
}

export function runContext(run: WorkflowRunRecord): RunContext {
  return { environment: run.inputs.environment, ref: run.headBranch, sha: run.headSha };
}

/**
 * The jobs and steps of a run as of `now`, derived from its timestamps rather than stored. The steps that
 * execute share the run time evenly: every step of the jobs that run, up to where the run stops (the outcome's
 * failing step, or the step running when a cancel arrived). The stopping step stays in progress until the run
 * completes. When it completes, jobs after the stop are `skipped` (failure: their `needs` failed) or `cancelled`,
 * with no steps, as on GitHub.
 */
export function runProgress(run: WorkflowRunRecord, now: Date): JobView[] {
  const context = runContext(run);
  const plans = run.jobs.map((record) => ({
    record,
    skipped: record.name === 'test' && run.inputs.skip_tests,
    steps: cdJobSteps(record.name, context),
  }));
  if (run.status === 'queued') return plans.map(({ record, steps }) => queuedJob(record, steps));

  const timeline = plans.flatMap((plan, job) => (plan.skipped ? [] : plan.steps.map((_, step) => ({ job, step }))));
  // resolveOutcome only names steps of jobs that run; were it not found, the run would go through to the end.
  const failingStep = timeline.findIndex(
    ({ job, step }) =>
      plans[job]?.record.name === run.outcome.stopJob && plans[job]?.steps[step]?.name === run.outcome.stopStep,
  );
  const outcomeStop = run.outcome.conclusion === 'success' || failingStep === -1 ? timeline.length - 1 : failingStep;
  const planned = outcomeStop + 1;
  const stepMs = run.timing.run_ms / Math.max(1, planned);
  const startedAt = run.startedAt?.getTime() ?? 0;
  const stepAt = (time: Date): number =>
    stepMs === 0 ? outcomeStop : Math.min(outcomeStop, Math.floor((time.getTime() - startedAt) / stepMs));
  // A cancel request freezes progress at the step then running; a cancel before the start stops before any step.
  const stop =
    run.cancelRequestedAt === null
      ? outcomeStop
      : run.startedAt === null || run.cancelRequestedAt < run.startedAt
        ? -1
        : stepAt(run.cancelRequestedAt);
  const progressAt = run.cancelRequestedAt ?? now;
  const completedAt = run.completedAt;

  const views = new Map<string, StepView>();
  timeline.forEach(({ job, step }, index) => {
    const template = plans[job]?.steps[step];
    if (!template || index > stop) return;
    const start = new Date(Math.min(startedAt + index * stepMs, completedAt?.getTime() ?? Number.POSITIVE_INFINITY));
    const end = new Date(startedAt + (index + 1) * stepMs);
    const number = step + 1;
    let view: StepView;
    if (completedAt) {
      const last = index === stop;
      view = {
        template,
        number,
        status: 'completed',
        conclusion: last ? (run.conclusion ?? 'success') : 'success',
        startedAt: start,
        completedAt: last || end > completedAt ? completedAt : end,
      };
    } else if (index < stop && progressAt >= end) {
      view = { template, number, status: 'completed', conclusion: 'success', startedAt: start, completedAt: end };
    } else if (progressAt >= start) {
      view = { template, number, status: 'in_progress', conclusion: null, startedAt: start, completedAt: null };
    } else {
      return;
    }
    views.set(`${job}/${step}`, view);
  });

  const stopPosition = stop >= 0 ? timeline[stop] : undefined;
  return plans.map(({ record, skipped, steps }, job): JobView => {
    // A job whose `if` is false is skipped when the run starts; a run cancelled while queued never got there.
    if (skipped && run.startedAt) return finishedWithoutSteps(record, 'skipped', run.startedAt);
    const neverStarted = skipped || stopPosition === undefined || job > stopPosition.job;
    if (completedAt && neverStarted) {
      return finishedWithoutSteps(record, run.conclusion === 'failure' ? 'skipped' : 'cancelled', completedAt);
    }
    const stepViews = steps.map((template, step): StepView => {
      const view = views.get(`${job}/${step}`);
      if (view) return view;
      if (completedAt && stopPosition && job === stopPosition.job) return afterStop(template, step + 1, completedAt);
      return { template, number: step + 1, status: 'queued', conclusion: null, startedAt: null, completedAt: null };
    });
    return jobFromSteps(record, stepViews);
  });
}

function queuedJob(record: JobRecord, steps: readonly StepTemplate[]): JobView {
  return {
    record,
    status: 'queued',
    conclusion: null,
    startedAt: null,
    completedAt: null,
    steps: steps.map((template, index) => ({
      template,
      number: index + 1,
      status: 'queued',
      conclusion: null,
      startedAt: null,
      completedAt: null,
    })),
  };
}

function finishedWithoutSteps(record: JobRecord, conclusion: StepConclusion, at: Date): JobView {
  return { record, status: 'completed', conclusion, startedAt: at, completedAt: at, steps: [] };
}

/** After a failing or cancelled step the job's cleanup still runs; its other steps are skipped. */
function afterStop(template: StepTemplate, number: number, at: Date): StepView {
  const cleanup = template.name === 'Complete job' || template.name.startsWith('Post ');
  return cleanup
    ? { template, number, status: 'completed', conclusion: 'success', startedAt: at, completedAt: at }
    : { template, number, status: 'completed', conclusion: 'skipped', startedAt: null, completedAt: null };
}

function jobFromSteps(record: JobRecord, steps: StepView[]): JobView {
  const started = steps.filter((step) => step.startedAt !== null);
  const done = steps.every((step) => step.status === 'completed');
  const conclusions = steps.map((step) => step.conclusion);
  const conclusion = conclusions.includes('failure')
    ? 'failure'
    : conclusions.includes('cancelled')
      ? 'cancelled'
      : 'success';
  const ends = steps.flatMap((step) => (step.completedAt ? [step.completedAt.getTime()] : []));
  return {
    record,
    status: done ? 'completed' : started.length > 0 ? 'in_progress' : 'queued',
    conclusion: done ? conclusion : null,
    startedAt: started[0]?.startedAt ?? null,
    completedAt: done && ends.length > 0 ? new Date(Math.max(...ends)) : null,
    steps,
  };
}
