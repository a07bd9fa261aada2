import type { ActionsFeatures, ActionsTiming, WorkflowRunRecord } from './actions/actions-store.js';
import { CD_WORKFLOW } from './actions/cd-workflow.js';
import type { CdInputs } from './actions/dispatch-inputs.js';
import { outcomeProblem, type QueuedOutcome } from './actions/outcomes.js';
import type {
  CodeScanningAlert,
  DependabotAlert,
  SecretScanningAlert,
  SecurityFeatures,
} from './alerts/alert-store.js';
import { buildCodeScanningAlert, codeScanningRef } from './alerts/code-scanning-alerts.js';
import { buildDependabotAlert } from './alerts/dependabot-alerts.js';
import {
  buildSecretScanningAlert,
  DEFAULT_SECRET_TYPE,
  fakeSecret,
  type SecretLocation,
} from './alerts/secret-scanning-alerts.js';
import type {
  ActionsFeaturesInput,
  ActionsOutcomeInput,
  ActionsTimingInput,
  AppComponent,
  AppEnvironment,
  AppVersionInput,
  ChecksInput,
  CodeScanningAlertInput,
  CommitInput,
  ComponentMode,
  DependabotAlertInput,
  EnvironmentInput,
  FaultInput,
  FeaturesInput,
  LargeRepositoryInput,
  SecretScanningAlertInput,
  StatusesInput,
  TagInput,
} from './control/control-inputs.js';
import { SandboxInputError } from './control/sandbox-input-error.js';
import { gitBlobSha } from './git/git-objects.js';
import type { CommitRecord } from './git/repository.js';
import { GitHubLinks } from './github/links.js';
import type { LoggedRequest } from './github/request-log.js';
import type { SandboxWorld } from './sandbox-world.js';
import { generatedModules } from './seed/large-repository.js';
import { DEVELOPER_IDENTITY, seedWorld } from './seed/seed-world.js';

export const SANDBOX_OWNER = 'sandbox-org';
export const SANDBOX_REPO = 'scheduler';

/** A workflow run as `actionsRuns()` lists it: enough to count dispatches and see what each was asked to do. */
export interface ActionsRunSummary {
  id: number;
  run_number: number;
  workflow: string;
  event: string;
  ref: string;
  head_sha: string;
  inputs: CdInputs;
  status: WorkflowRunRecord['status'];
  conclusion: WorkflowRunRecord['conclusion'];
  created_at: string;
  outcome: { conclusion: string; failing_job: string | null; failing_step: string | null };
}

export interface SandboxStateOptions {
  githubApiUrl: string;
  stagingUrl: string;
  productionUrl: string;
}

/**
 * The simulated GitHub repository and deployed apps, plus every steering operation. The control API
 * is a thin HTTP layer over these methods, so tests may call either.
 */
export class SandboxState {
  readonly links: GitHubLinks;
  readonly #appUrls: Record<AppEnvironment, string>;
  #world: SandboxWorld;

  constructor(options: SandboxStateOptions) {
    this.links = new GitHubLinks(options.githubApiUrl, SANDBOX_OWNER, SANDBOX_REPO);
    this.#appUrls = { staging: options.stagingUrl, production: options.productionUrl };
    this.#world = this.#seed();
  }

  /** The live world; replaced by `reset()`, so read it per use rather than keeping it. */
  get world(): SandboxWorld {
    return this.#world;
  }

  /** Back to the seed state, with no faults, latency or logged requests, and no workflow runs or their timers. */
  reset(): void {
    this.#world.actions.dispose();
    this.#world = this.#seed();
  }

  /** Stops the workflow-run timers, so nothing changes after the sandbox closes and the process can exit. */
  close(): void {
    this.#world.actions.dispose();
  }

  addCommit(input: CommitInput): { sha: string } {
    const paths = Object.keys(input.files);
    const now = input.date ? new Date(input.date) : new Date();
    const commit = this.#world.repository.commitOnBranch(input.branch, {
      message: input.message ?? `Update ${paths.join(', ')}`,
      author: DEVELOPER_IDENTITY,
      date: now,
      changes: input.files,
    });
    this.#world.ci.recordGreenCi(commit.sha, now);
    return { sha: commit.sha };
  }

  /** One commit on `branch` that adds `files` generated modules, for tests and benchmarks at a real repository's size. */
  addLargeRepository(input: LargeRepositoryInput): { sha: string; files: number } {
    const { sha } = this.addCommit({
      branch: input.branch,
      message: `Add ${input.files} generated modules under ${input.folder}`,
      files: generatedModules(input.files, input.folder),
    });
    return { sha, files: this.#world.repository.commit(sha)?.files.size ?? 0 };
  }

  addTag(input: TagInput): { tag: string; sha: string } {
    const commit = this.#resolve(input.ref);
    this.#world.repository.setTag(input.tag, commit.sha);
    return { tag: input.tag, sha: commit.sha };
  }

  setChecks(input: ChecksInput): { sha: string } {
    const commit = this.#resolve(input.ref);
    this.#world.ci.setCheckRuns(commit.sha, input.conclusion, input.name, new Date());
    return { sha: commit.sha };
  }

  setStatuses(input: StatusesInput): { sha: string } {
    const commit = this.#resolve(input.ref);
    this.#world.ci.setStatus(commit.sha, input.state, input.context, new Date());
    return { sha: commit.sha };
  }

  addDependabotAlert(input: DependabotAlertInput): DependabotAlert {
    const { alerts } = this.#world;
    const alert = buildDependabotAlert(alerts.nextNumber('dependabot'), input, this.links, new Date());
    alerts.dependabot.push(alert);
    return alert;
  }

  addCodeScanningAlert(input: CodeScanningAlertInput): CodeScanningAlert {
    const { alerts, repository } = this.#world;
    const ref = codeScanningRef(input.ref ?? repository.defaultBranch);
    const commit = this.#resolve(ref);
    const alert = buildCodeScanningAlert(
      alerts.nextNumber('codeScanning'),
      input,
      { ref, commitSha: commit.sha },
      this.links,
      new Date(),
    );
    alerts.codeScanning.push(alert);
    return alert;
  }

  addSecretScanningAlert(input: SecretScanningAlertInput): SecretScanningAlert {
    const { alerts, repository } = this.#world;
    const commit = this.#resolve(input.ref ?? repository.defaultBranch);
    const secret = input.secret ?? fakeSecret(input.secret_type ?? DEFAULT_SECRET_TYPE);
    const alert = buildSecretScanningAlert(
      alerts.nextNumber('secretScanning'),
      { ...input, secret },
      secretLocation(commit, secret, input),
      this.links,
      new Date(),
    );
    alerts.secretScanning.push(alert);
    return alert;
  }

  clearAlerts(): void {
    this.#world.alerts.clear();
  }

  setFeatures(input: FeaturesInput): SecurityFeatures {
    const { features } = this.#world.alerts;
    Object.assign(features, input);
    return { ...features };
  }

  putEnvironment(name: string, input: EnvironmentInput): void {
    this.#world.environments.put(name, input, new Date());
  }

  deleteEnvironment(name: string): void {
    if (!this.#world.environments.delete(name)) throw new SandboxInputError(404, `No environment named ${name}`);
  }

  addFault(input: FaultInput): { id: string } {
    return this.#world.faults.add(input);
  }

  clearFaults(): void {
    this.#world.faults.clear();
  }

  setLatency(delayMs: number): void {
    this.#world.faults.latencyMs = delayMs;
  }

  requests(): LoggedRequest[] {
    return this.#world.requestLog.list();
  }

  clearRequests(): void {
    this.#world.requestLog.clear();
  }

  setAppComponent(environment: AppEnvironment, component: AppComponent, mode: ComponentMode): void {
    this.#world.apps[environment].components[component] = mode;
  }

  /** Makes the app report another version; the SHA defaults to the commit `version` names as a ref. */
  setAppVersion(environment: AppEnvironment, input: AppVersionInput): { version: string; sha: string } {
    const sha = input.sha ?? this.#world.repository.resolve(input.version)?.sha;
    if (!sha) throw new SandboxInputError(422, `${input.version} is not a ref of the repository; pass a sha`);
    Object.assign(this.#world.apps[environment], { version: input.version, sha });
    return { version: input.version, sha };
  }

  /** How long dispatched runs stay queued and then run; a run keeps the timing it was dispatched with. */
  setActionsTiming(input: ActionsTimingInput): ActionsTiming {
    const { timing } = this.#world.actions;
    Object.assign(timing, input);
    return { ...timing };
  }

  /** Queues what a later dispatch does; each dispatch takes the first outcome for its environment (or for any). */
  queueActionsOutcome(input: ActionsOutcomeInput): QueuedOutcome {
    const problem = outcomeProblem(input);
    if (problem) throw new SandboxInputError(422, problem);
    return this.#world.actions.queueOutcome(input);
  }

  clearActionsOutcomes(): void {
    this.#world.actions.clearOutcomes();
  }

  setActionsFeatures(input: ActionsFeaturesInput): ActionsFeatures {
    const { features } = this.#world.actions;
    Object.assign(features, input);
    return { ...features };
  }

  /** Every workflow run, oldest first, with the inputs it was dispatched with. */
  actionsRuns(): ActionsRunSummary[] {
    return this.#world.actions
      .list()
      .reverse()
      .map((run) => ({
        id: run.id,
        run_number: run.runNumber,
        workflow: CD_WORKFLOW.path,
        event: run.event,
        ref: run.headBranch,
        head_sha: run.headSha,
        inputs: { ...run.inputs },
        status: run.status,
        conclusion: run.conclusion,
        created_at: run.createdAt.toISOString(),
        outcome: {
          conclusion: run.outcome.conclusion,
          failing_job: run.outcome.conclusion === 'success' ? null : run.outcome.stopJob,
          failing_step: run.outcome.conclusion === 'success' ? null : run.outcome.stopStep,
        },
      }));
  }

  #resolve(ref: string): CommitRecord {
    const commit = this.#world.repository.resolve(ref);
    if (!commit) throw new SandboxInputError(422, `No commit found for the ref ${ref}`);
    return commit;
  }

  #seed(): SandboxWorld {
    return seedWorld({ links: this.links, appUrls: this.#appUrls, now: new Date() });
  }
}

/** Where a secret-scanning alert points: the given path, or the file that holds the secret. */
function secretLocation(commit: CommitRecord, secret: string, input: SecretScanningAlertInput): SecretLocation {
  const path =
    input.path ?? [...commit.files].find(([, content]) => content.includes(secret))?.[0] ?? 'backend/app/settings.py';
  const content = commit.files.get(path);
  const lineOfSecret = content ? content.split('\n').findIndex((line) => line.includes(secret)) + 1 : 0;
  return {
    path,
    startLine: input.start_line ?? (lineOfSecret > 0 ? lineOfSecret : 1),
    blobSha: gitBlobSha(content ?? `${secret}\n`),
    commitSha: commit.sha,
  };
}
