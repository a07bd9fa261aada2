import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { DeliveryFigures, DeliveryFiguresRequest } from '../domain/delivery-ledger.js';
import type { DeliveryRecord } from '../domain/delivery-metrics.js';
import type { Environment } from '../domain/environment.js';

// The delivery ledger's messages (workflows/delivery-ledger.ts); the gateway's metrics reader sends them.

/** What the ledger holds: deployments that closed up to `until` (epoch ms; null before the first reading). */
export interface LedgerCoverage {
  environment: Environment;
  until: number | null;
  entries: number;
}

/** Deployments read from Temporal visibility (closed before `readUntil`, epoch ms), a batch of at most 1,000. */
export interface RecordDeploymentsInput {
  records: DeliveryRecord[];
  readUntil: number;
}

/** What a reading found: the coverage after it, and before it (null: a new ledger, or one started anew). */
export interface RecordedReading extends LedgerCoverage {
  untilBefore: number | null;
}

/** Commit times GitHub's comparisons gave, by the ledger's deployment id (`comparisons_needed`). */
export interface RecordCommitTimesInput {
  times: Record<string, readonly string[]>;
}

export const ledgerCoverageQuery = defineQuery<LedgerCoverage>('ledgerCoverage');
export const deliveryFiguresQuery = defineQuery<DeliveryFigures, [DeliveryFiguresRequest]>('deliveryFigures');
export const recordDeploymentsUpdate = defineUpdate<RecordedReading, [RecordDeploymentsInput]>('recordDeployments');
export const recordCommitTimesUpdate = defineUpdate<LedgerCoverage, [RecordCommitTimesInput]>('recordCommitTimes');
/**
 * A deployment that was dispatched tells the ledger how it ended, as it ends (workflows/deployment/deployment-run.ts):
 * the ledger then has it even if no one reads the metrics before the namespace's retention deletes its workflow.
 */
export const recordDeploymentSignal = defineSignal<[DeliveryRecord]>('recordDeployment');
