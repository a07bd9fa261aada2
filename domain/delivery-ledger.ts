import {
  changesToCompare,
  comparisonKey,
  type DeliveryRecord,
  deliveryHistory,
  metricsSeries,
  metricsWindows,
  type WindowMetrics,
  windowMetrics,
} from './delivery-metrics.js';
import type { DeploymentKind } from './deployment-model.js';

/**
 * What the delivery ledger (workflows/delivery-ledger.ts) keeps of one environment's deployments: exactly what the
 * four keys read, packed small, because the ledger carries all of it from run to run through continue-as-new and one
 * payload holds at most 2 MB. A packed entry is about 60 bytes, so two years of 10,000 deployments a year fit.
 *
 * Only dispatched deployments that ended are kept: the others count nowhere (domain/delivery-metrics.ts).
 */

/**
 * The ledger workflow of an environment: one per environment and task queue, so every gateway process reads and
 * feeds the same one, and a ledger is always on the queue its workers poll
 * (e.g. `delivery-ledger/deployments/production`).
 */
export function deliveryLedgerId(taskQueue: string, environment: string): string {
  return `delivery-ledger/${taskQueue}/${environment}`;
}

/** The longest window (365 days) and the one before it: older deployments are never read and are dropped. */
export const LEDGER_HORIZON_MS = 2 * 365 * 24 * 60 * 60 * 1000;
/** Beyond this, the oldest entries go first, keeping the packed ledger well under a payload's 2 MB. */
export const LEDGER_MAX_ENTRIES = 25_000;

const KIND_CODES: Record<DeploymentKind, string> = { deploy: 'd', promotion: 'p', rollback: 'r' };
const KINDS_BY_CODE = new Map(Object.entries(KIND_CODES).map(([kind, code]) => [code, kind as DeploymentKind]));

/**
 * [id, kind code + s|f, initiated ms, completed ms, commit sha or null, commit times in epoch seconds or null].
 * The id is a hash of the deployment id: it only tells a deployment read twice from a new one. The sha is kept only
 * where a comparison still needs it (see packLedger).
 */
export type PackedEntry = [string, string, number, number, string | null, number[] | null];

/** One recorded deployment: a `DeliveryRecord` with times in epoch milliseconds. */
export interface LedgerEntry {
  id: string;
  kind: DeploymentKind;
  succeeded: boolean;
  initiatedAt: number;
  completedAt: number;
  sha: string | null;
  /** The committer times (epoch seconds) of the commits it brought live; null until known. */
  commitTimes: number[] | null;
}

/**
 * A short id: 64 bits from two 32-bit multiplicative hashes (FNV-1a and a second multiplier). That two of the ledger's
 * 25,000 deployments share one is about a 1 in 60 billion chance.
 */
export function ledgerId(deploymentId: string): string {
  let first = 0x811c9dc5;
  let second = 0x01000193 ^ deploymentId.length;
  for (let index = 0; index < deploymentId.length; index++) {
    const code = deploymentId.charCodeAt(index);
    first = Math.imul(first ^ code, 0x01000193) >>> 0;
    second = Math.imul(second ^ code, 0x5bd1e995) >>> 0;
  }
  return first.toString(36) + second.toString(36);
}

const seconds = (iso: string) => Math.round(Date.parse(iso) / 1000);

/** The ledger's entry for a deployment record; null when it never dispatched or has not ended. */
export function ledgerEntry(record: DeliveryRecord): LedgerEntry | null {
  if (!record.dispatched || record.completed_at === null || record.status === 'in_progress') return null;
  if (record.status !== 'success' && record.status !== 'failure') return null;
  return {
    id: ledgerId(record.deployment_id),
    kind: record.kind,
    succeeded: record.status === 'success',
    initiatedAt: Date.parse(record.initiated_at),
    completedAt: Date.parse(record.completed_at),
    sha: record.git_ref,
    commitTimes: record.commit_times?.map(seconds) ?? null,
  };
}

/** Back to the record the metrics read. */
export function deliveryRecordOf(entry: LedgerEntry): DeliveryRecord {
  return {
    deployment_id: entry.id,
    kind: entry.kind,
    status: entry.succeeded ? 'success' : 'failure',
    git_ref: entry.sha,
    initiated_at: new Date(entry.initiatedAt).toISOString(),
    completed_at: new Date(entry.completedAt).toISOString(),
    dispatched: true,
    commit_times: entry.commitTimes?.map((at) => new Date(at * 1000).toISOString()) ?? undefined,
  };
}

/**
 * The entries in completion order, without duplicates (a later reading of a deployment replaces the earlier one,
 * keeping commit times already learnt), none older than the horizon but the last live one before it (the base of
 * the next change), and at most LEDGER_MAX_ENTRIES.
 */
export function mergeEntries(known: readonly LedgerEntry[], incoming: readonly LedgerEntry[], nowMs: number) {
  const byId = new Map(known.map((entry) => [entry.id, entry]));
  for (const entry of incoming) {
    const before = byId.get(entry.id);
    byId.set(entry.id, { ...entry, commitTimes: entry.commitTimes ?? before?.commitTimes ?? null });
  }
  const sorted = [...byId.values()].sort((a, b) => a.completedAt - b.completedAt || a.initiatedAt - b.initiatedAt);
  const horizon = nowMs - LEDGER_HORIZON_MS;
  let first = sorted.findIndex((entry) => entry.completedAt >= horizon);
  if (first === -1) first = sorted.length;
  const liveBefore = sorted.slice(0, first).findLast((entry) => entry.succeeded);
  const kept = liveBefore ? [liveBefore, ...sorted.slice(first)] : sorted.slice(first);
  return kept.slice(Math.max(0, kept.length - LEDGER_MAX_ENTRIES));
}

/** The entries with the commit times GitHub's comparisons gave, by ledger id. */
export function withCommitTimes(entries: readonly LedgerEntry[], times: Record<string, readonly string[]>) {
  return entries.map((entry) => {
    const learnt = times[entry.id];
    return learnt ? { ...entry, commitTimes: learnt.map(seconds) } : entry;
  });
}

/** Deployments one reading may add: a visibility page. */
export const LEDGER_BATCH_SIZE = 1_000;

const isTime = (value: unknown) => typeof value === 'string' && !Number.isNaN(Date.parse(value));
const isTimes = (value: unknown) => Array.isArray(value) && value.every(isTime);

/** Why a deployment's record cannot go into the ledger (a reading's or a deployment's own); null when it can. */
export function deliveryRecordProblem(record: Partial<Record<keyof DeliveryRecord, unknown>>): string | null {
  const named = typeof record.deployment_id === 'string' ? record.deployment_id : 'a deployment';
  if (typeof record.deployment_id !== 'string' || record.deployment_id === '') return 'deployment_id is required';
  if (!KIND_CODES[record.kind as DeploymentKind]) return `${named}: kind must be one of deploy, promotion, rollback`;
  if (!isTime(record.initiated_at)) return `${named}: initiated_at must be a time`;
  if (record.completed_at !== null && !isTime(record.completed_at))
    return `${named}: completed_at must be a time or null`;
  if (typeof record.dispatched !== 'boolean') return `${named}: dispatched must be true or false`;
  if (record.git_ref !== null && typeof record.git_ref !== 'string') return `${named}: git_ref must be a sha or null`;
  if (record.commit_times !== undefined && !isTimes(record.commit_times))
    return `${named}: commit_times must be a list of times`;
  return null;
}

/** Why a batch of records cannot go into the ledger; null when it can. */
export function ledgerBatchProblem(batch: { records: unknown; readUntil: unknown }): string | null {
  if (!Array.isArray(batch.records) || batch.records.length > LEDGER_BATCH_SIZE)
    return `records must be a list of at most ${LEDGER_BATCH_SIZE} deployments`;
  if (typeof batch.readUntil !== 'number' || !Number.isFinite(batch.readUntil))
    return 'readUntil must be a time in epoch milliseconds';
  for (const record of batch.records) {
    const problem = deliveryRecordProblem(record);
    if (problem) return problem;
  }
  return null;
}

/** Why commit times cannot go into the ledger; null when they can. */
export function commitTimesProblem(times: unknown): string | null {
  if (typeof times !== 'object' || times === null) return 'times must map deployment ids to lists of times';
  const bad = Object.entries(times).find(([, value]) => !isTimes(value));
  return bad ? `times of ${bad[0]} must be a list of times` : null;
}

/**
 * The packed form. A live entry keeps its sha while a comparison may still need it: it has no commit times yet, or
 * the next live entry has none and compares against it, or it is the newest live one (the next change's base).
 */
export function packLedger(entries: readonly LedgerEntry[]): PackedEntry[] {
  const live = entries.filter((entry) => entry.succeeded);
  const shaNeeded = new Set<LedgerEntry>();
  live.forEach((entry, index) => {
    const next = live[index + 1];
    if (!entry.commitTimes || !next?.commitTimes) shaNeeded.add(entry);
  });
  return entries.map((entry) => [
    entry.id,
    `${KIND_CODES[entry.kind]}${entry.succeeded ? 's' : 'f'}`,
    entry.initiatedAt,
    entry.completedAt,
    shaNeeded.has(entry) ? entry.sha : null,
    entry.commitTimes,
  ]);
}

export function unpackLedger(packed: readonly PackedEntry[]): LedgerEntry[] {
  return packed.map(([id, code, initiatedAt, completedAt, sha, commitTimes]) => {
    const kind = KINDS_BY_CODE.get(code.charAt(0));
    if (!kind) throw new Error(`Delivery ledger entry ${id} has an unknown kind code '${code}'`);
    return { id, kind, succeeded: code.charAt(1) === 's', initiatedAt, completedAt, sha, commitTimes };
  });
}

export interface DeliveryFiguresRequest {
  window_days: number;
  /** The moment the windows end at (epoch ms): the caller's clock, not the workflow's. */
  now: number;
  /** Slices of the current window for the dashboard's trend charts; 0 for none. */
  buckets: number;
}

export interface DeliveryFigures {
  current: WindowMetrics;
  previous: WindowMetrics;
  series: WindowMetrics[];
  /** Deployments the figures rest on: those that ended in either window, and the one live before them. */
  deployments_read: number;
  /** Changes live in either window whose commits are unknown (older deployments): the newest, a reading's share. */
  comparisons_needed: { id: string; comparison: string }[];
  /** How many such changes there are in all. */
  comparisons_pending: number;
}

/**
 * GitHub comparisons one reading may ask for: a tenth of a personal token's hourly 5,000 requests. The rest wait for
 * the next readings, newest first, so recent lead times are measured first.
 */
export const COMPARISONS_PER_READING = 500;

/** The four keys over the window asked for and the one before it, from the ledger's entries alone. */
export function ledgerFigures(entries: readonly LedgerEntry[], request: DeliveryFiguresRequest): DeliveryFigures {
  const windows = metricsWindows(request.now, request.window_days);
  let firstRead = entries.findIndex((entry) => entry.completedAt >= windows.previous.start);
  if (firstRead === -1) firstRead = entries.length;
  // The last one live before the windows: the base of their first change, and what an early rollback rolls back.
  const liveBefore = entries.slice(0, firstRead).findLast((entry) => entry.succeeded);
  const read = liveBefore ? [liveBefore, ...entries.slice(firstRead)] : entries.slice(firstRead);
  const history = deliveryHistory(read.map(deliveryRecordOf));
  const unknown = changesToCompare(history, [windows.current, windows.previous]);
  return {
    current: windowMetrics(history, windows.current),
    previous: windowMetrics(history, windows.previous),
    series: request.buckets > 0 ? metricsSeries(history, windows.current, request.buckets) : [],
    deployments_read: read.length,
    comparisons_needed: unknown
      .slice(-COMPARISONS_PER_READING)
      .reverse()
      .map((change) => ({
        id: change.deployment_id,
        comparison: comparisonKey(change.base_sha ?? '', change.sha ?? ''),
      })),
    comparisons_pending: unknown.length,
  };
}
