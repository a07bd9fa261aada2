import type { SearchAttributePair } from '@temporalio/common';
import {
  allHandlersFinished,
  condition,
  getExternalWorkflowHandle,
  log,
  patched,
  setCurrentDetails,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { DeploymentRecordState } from '../../activities/github/deployment-records.js';
import type { CheckStatus } from '../../domain/check-outcome.js';
import { deliveryLedgerId } from '../../domain/delivery-ledger.js';
import { deliveryRecord } from '../../domain/delivery-metrics.js';
import type { DeploymentRecordSummary } from '../../domain/deployment-history.js';
import {
  DEPLOYMENT_OPERATIONS,
  type DeploymentRequest,
  type DeploymentState,
  type DeploymentStatus,
  deploymentInfo,
  initialDeploymentState,
} from '../../domain/deployment-model.js';
import { SEARCH_ATTRIBUTES } from '../../domain/search-attributes.js';
import { recordDeploymentSignal } from '../delivery-ledger-messages.js';
import { type EnvironmentLock, releaseEnvironment } from '../environment-lock.js';
import { github, local } from './activities.js';
import { Compensations } from './compensations.js';

const RELEASE_BEFORE_FINAL_STATUS = 'lock-released-before-final-status';
const REFUSED_AFTER_RELEASE = 'refused-after-lock-released';
/** Deployments started since tell the delivery ledger how they ended; earlier ones replay without the signal. */
const RECORDED_IN_DELIVERY_LEDGER = 'recorded-in-delivery-ledger';

/** A request the deployment turns down before it changes anything (busy environment, unknown version, rejection). */
export class DeploymentRefused extends Error {}

/**
 * The state of one deployment that its steps share: what was asked, where it stands (the query's answer, the Web UI's
 * details, the search attributes), the environment's lock, the GitHub deployment record and the saga's compensations.
 */
export class DeploymentRun {
  readonly deploymentId: string;
  readonly startedAt = Date.now();
  readonly state: DeploymentState;
  /** Search attributes exist only where the gateway registered and set them (not on the test server). */
  readonly searchable: boolean;
  readonly operation: string;
  readonly compensations = new Compensations();
  lock: EnvironmentLock | null = null;
  /** The lock runs the automatic rollback and holds the environment through it (see environment-lock.ts). */
  lockHandedToRollback = false;
  recordId: number | null = null;
  /** What the environment ran before, per the plan: what the automatic rollback restores. */
  restoreTo: DeploymentRecordSummary | null = null;

  constructor(readonly request: DeploymentRequest) {
    const info = workflowInfo();
    this.deploymentId = info.workflowId;
    this.searchable = info.typedSearchAttributes.getAll().length > 0;
    this.operation = request.automaticRollbackOf ? 'automatic_rollback' : DEPLOYMENT_OPERATIONS[request.kind];
    this.state = initialDeploymentState(this.deploymentId, request, new Date(this.startedAt).toISOString());
  }

  writeLog(line: string): void {
    this.state.logs.push(`${new Date().toISOString()} ${line}`);
    log.info(line, { deploymentId: this.deploymentId });
  }

  /** Where the deployment stands, for the Web UI's details and the visibility listing. */
  publish(): void {
    const { state, request } = this;
    setCurrentDetails(
      `**${state.status}**: ${state.current_step}\n\n${request.kind} of ${state.version ?? '(previous version)'} to ${request.environment}`,
    );
    if (!this.searchable) return;
    upsertSearchAttributes([
      { key: SEARCH_ATTRIBUTES.status, value: state.status },
      ...(state.version ? [{ key: SEARCH_ATTRIBUTES.version, value: state.version }] : []),
    ] as SearchAttributePair[]);
    upsertMemo({ deployment: deploymentInfo(state) });
  }

  enter(step: string, status: DeploymentStatus = this.state.status): void {
    this.state.current_step = step;
    this.state.status = status;
    this.writeLog(step);
    this.publish();
  }

  check(check_name: string, status: CheckStatus, message: string, since: number, details = {}): void {
    this.state.checks.push({ check_name, status, message, details, duration_ms: Date.now() - since });
    this.writeLog(`${check_name}: ${status}: ${message}`);
  }

  audit(operation: string, success: boolean, details: Record<string, unknown>): Promise<void> {
    return local.recordAudit({
      operation,
      user: this.request.initiatedBy,
      environment: this.request.environment,
      success,
      dry_run: false,
      details: { deployment_id: this.deploymentId, kind: this.request.kind, ...details },
    });
  }

  async setRecord(recordState: DeploymentRecordState, description: string): Promise<void> {
    if (this.recordId === null) return;
    await github.setDeploymentRecordStatus({
      recordId: this.recordId,
      environment: this.request.environment,
      state: recordState,
      description,
      ...(this.state.logs_url ? { logUrl: this.state.logs_url } : {}),
    });
  }

  /** The one way a deployment ends: its result, one audit line, the environment released, every answer given. */
  /**
   * A request refused while planning frees its environment before the caller hears "refused", so a caller who fixes
   * the cause and asks again at once is not told the refused deployment still runs (patched; earlier histories
   * answered first).
   */
  async refuse(why: string): Promise<void> {
    this.state.failure_reason = why;
    if (patched(REFUSED_AFTER_RELEASE) && this.lock) {
      await releaseEnvironment(this.lock);
      this.lock = null;
    }
    // The start Update answers the caller as soon as the phase turns.
    this.state.phase = 'refused';
  }

  /**
   * A dispatched deployment tells its environment's delivery ledger how it ended, so the four keys count it even when
   * no one reads them before Temporal's retention deletes this workflow. A ledger that does not run yet gets it from
   * visibility at the gateway's first reading, which starts it.
   */
  private async recordInDeliveryLedger(): Promise<void> {
    const ledger = getExternalWorkflowHandle(deliveryLedgerId(workflowInfo().taskQueue, this.request.environment));
    await ledger.signal(recordDeploymentSignal, deliveryRecord(deploymentInfo(this.state))).catch((error: unknown) => {
      log.info('delivery ledger not told: it does not run yet', { error: String(error) });
    });
  }

  async finish(status: 'success' | 'failure', why: string | null): Promise<void> {
    // Since this patch the environment is free before the status says the deployment ended, so a caller who reads
    // `success` may deploy again at once instead of being told the finished deployment still runs.
    const releaseFirst = patched(RELEASE_BEFORE_FINAL_STATUS);
    if (releaseFirst && this.lock) await releaseEnvironment(this.lock);
    const { state } = this;
    state.failure_reason = why;
    state.completed_at = new Date().toISOString();
    state.duration_ms = Date.now() - this.startedAt;
    this.enter(status === 'success' ? 'finished' : `failed: ${why}`, status);
    // A refused request already has its one line; only a deployment that started gets a second.
    if (state.phase !== 'refused')
      await this.audit('deployment_finished', status === 'success', {
        version: state.version,
        status,
        ...(why ? { error: why } : {}),
        ...(state.automatic_rollback ? { automatic_rollback: state.automatic_rollback } : {}),
      });
    if (!releaseFirst && this.lock) await releaseEnvironment(this.lock);
    if (state.logs_url !== null && patched(RECORDED_IN_DELIVERY_LEDGER)) await this.recordInDeliveryLedger();
    // An approval still being checked gets its answer before the workflow closes.
    await condition(allHandlersFinished);
  }
}
