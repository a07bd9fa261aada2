/**
 * What the sandbox knows about `.github/workflows/cd.yml` (seeded in `seed/scheduler-history.ts`): its
 * `workflow_dispatch` inputs and the jobs and steps GitHub would show for a run. Kept by hand rather than parsed,
 * so a steered commit that edits the file does not change how runs behave.
 */

/** A fixed id, apart from the shared id sequence, so seeding it does not shift every other seeded id. */
export const CD_WORKFLOW = {
  id: 118_412_336,
  name: 'cd',
  fileName: 'cd.yml',
  path: '.github/workflows/cd.yml',
} as const;

export type DeclaredInput =
  | { type: 'choice'; required: boolean; options: readonly string[] }
  | { type: 'boolean'; required: boolean; default: boolean }
  | { type: 'number'; required: boolean };

/**
 * `traffic_weight` is the canary contract (README, "Canary steps"): the percentage of user traffic the dispatched
 * version serves; absent or 100 deploys it to all traffic and removes any canary.
 */
export const CD_INPUTS: Readonly<Record<string, DeclaredInput>> = {
  environment: { type: 'choice', required: true, options: ['staging', 'production'] },
  skip_tests: { type: 'boolean', required: false, default: false },
  traffic_weight: { type: 'number', required: false },
};

export const CD_JOBS = ['test', 'build', 'migrate', 'deploy'] as const;
export type CdJob = (typeof CD_JOBS)[number];

export interface StepTemplate {
  name: string;
  /** The command the log's `##[group]Run` echoes; empty for steps without one (set-up, post and complete). */
  command: string;
  /** What the step prints; a failing or cancelled step prints only the first line. */
  output: readonly string[];
}

export interface RunContext {
  environment: string;
  ref: string;
  sha: string;
}

const CHECKOUT: StepTemplate = {
  name: 'Run actions/checkout@v4',
  command: 'actions/checkout@v4',
  output: ['Syncing repository: sandbox-org/scheduler', 'Checking out the ref'],
};
// Post steps print no `Run` group of their own.
const POST_CHECKOUT: StepTemplate = {
  name: 'Post Run actions/checkout@v4',
  command: '',
  output: ['Post job cleanup.'],
};

/** The steps of one job as GitHub names them: unnamed `run:` steps are called `Run <command>`. */
export function cdJobSteps(job: CdJob, context: RunContext): StepTemplate[] {
  const setUp: StepTemplate = {
    name: 'Set up job',
    command: '',
    output: ["Current runner version: '2.321.0'", 'Operating System: Ubuntu 24.04.1 LTS', `Job: ${job}`],
  };
  const complete: StepTemplate = { name: 'Complete job', command: '', output: ['Cleaning up orphan processes'] };
  return [setUp, ...jobBody(job, context), complete];
}

function jobBody(job: CdJob, { environment, ref, sha }: RunContext): StepTemplate[] {
  switch (job) {
    case 'test':
      return [
        CHECKOUT,
        {
          name: 'Run actions/setup-python@v5',
          command: 'actions/setup-python@v5',
          output: ['Successfully set up CPython (3.12.7)'],
        },
        {
          name: 'Run pip install -r requirements.txt pytest',
          command: 'pip install -r requirements.txt pytest',
          output: ['Successfully installed fastapi-0.110.0 pytest-8.3.3 sqlalchemy-2.0.29'],
        },
        {
          name: 'Run pytest -q',
          command: 'pytest -q',
          output: [
            '============================= test session starts ==============================',
            '42 passed in 3.17s',
          ],
        },
        { name: 'Post Run actions/setup-python@v5', command: '', output: ['Post job cleanup.'] },
        POST_CHECKOUT,
      ];
    case 'build': {
      const command = `docker build -t ghcr.io/sandbox-org/scheduler:${sha} backend`;
      return [
        CHECKOUT,
        {
          name: `Run ${command}`,
          command,
          output: [
            '#1 [internal] load build definition from Dockerfile',
            `naming to ghcr.io/sandbox-org/scheduler:${sha} done`,
          ],
        },
        POST_CHECKOUT,
      ];
    }
    case 'migrate':
      return [
        CHECKOUT,
        {
          name: 'Run pip install -r backend/requirements.txt',
          command: 'pip install -r backend/requirements.txt',
          output: ['Successfully installed alembic-1.13.1 psycopg-3.1.18'],
        },
        {
          name: 'Run alembic upgrade head',
          command: 'alembic upgrade head',
          output: ['INFO  [alembic.runtime.migration] Context impl PostgresqlImpl.'],
        },
        POST_CHECKOUT,
      ];
    case 'deploy':
      return [
        CHECKOUT,
        {
          name: deployStepName(environment),
          command: `./deploy.sh "${environment}" "${sha}"`,
          output: [`Rolling out ${ref} (${sha.slice(0, 7)}) to ${environment}`, 'All replicas ready'],
        },
        POST_CHECKOUT,
      ];
  }
}

export function deployStepName(environment: string): string {
  return `Deploy to ${environment}`;
}

/** The step a failure lands on when the outcome names only the job: the job's real work. */
export function defaultFailingStep(job: CdJob, context: RunContext): string {
  const steps = cdJobSteps(job, context);
  // The last step before the post-steps is the one doing the job's work.
  const work = steps.filter((step) => step.name !== 'Complete job' && !step.name.startsWith('Post '));
  return work.at(-1)?.name ?? deployStepName(context.environment);
}

/** What a failing step prints before GitHub's exit-code line, per job. */
export function defaultFailureMessage(job: CdJob, { environment, ref }: RunContext): string {
  switch (job) {
    case 'test':
      return 'FAILED tests/test_rotations.py::test_rotation_handover - AssertionError: expected 2 assignments, got 3';
    case 'build':
      return 'ERROR: failed to solve: process "/bin/sh -c pip install -r requirements.txt" did not complete successfully';
    case 'migrate':
      return 'sqlalchemy.exc.OperationalError: (psycopg.errors.LockNotAvailable) canceling statement due to lock timeout';
    case 'deploy':
      return `deploy.sh: rollout of ${ref} to ${environment} did not become ready within 300s`;
  }
}
