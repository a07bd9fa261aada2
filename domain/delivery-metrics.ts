import type { DeploymentInfo } from './deployment-model.js';

/**
 * The four DORA keys over one environment's deployment history, as pure functions of the deployments' memos (what
 * Temporal visibility returns) and the commit times GitHub's compare gives.
 *
 * What counts:
 * - A *change* is a deploy (staging) or a promotion (production) whose cd.yml run was dispatched (it has an Actions
 *   run: `logs_url`). Refused requests (busy environment, unknown version, failed staging smoke tests), rejected or
 *   expired approvals never dispatch, so they are not deployments and count nowhere. Dry runs are `planDeployment`
 *   workflows, never deployments. A running deployment counts once it ends.
 * - A change *failed* when it failed after dispatch (run failed, smoke tests or bake failed, cancelled mid-way: its
 *   status is `failure`, automatic rollback or not) or when it went live and a rollback was then dispatched while it
 *   was what the environment ran.
 * - A rollback is no change: it restores a version that already ran. A rollback dispatched after a change failed
 *   (and before anything else went live) is that failure's recovery; otherwise it rolls back what was live, which is
 *   thereby a failed change. A rollback of a rollback blames nobody.
 * - A change's commits are those ahead of the commit live just before it. Deployments record their commits' times
 *   when they go live (`commit_times`); for older ones the delivery ledger learns them from GitHub's compare. An
 *   environment's first deployment has nothing before it and is not measured.
 * - A failure is *known* when its deployment ended failing, or as soon as a rollback was dispatched for it (the
 *   automatic one starts before the failed deployment ends). It is *recovered* by the next successful deployment or
 *   rollback.
 */

const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_S = 60 * 60;
const DAY_S = 24 * HOUR_S;

export type DoraBand = 'elite' | 'high' | 'medium' | 'low';

/**
 * Thresholds from the performance clusters of Google Cloud's DORA "Accelerate State of DevOps Report 2023": elite
 * deploys on demand (at least daily here), lead time under a day, 5% change failures, recovery under an hour; high
 * daily to weekly, a day to a week, 10%, under a day; medium weekly to monthly, a week to a month, 15%, a day to a
 * week; low is anything worse. The report gives each cluster's typical change failure rate, read here as an upper bound.
 */
export const DORA_BANDS_SOURCE =
  'DORA, Accelerate State of DevOps Report 2023 (Google Cloud), software delivery performance clusters';

export function frequencyBand(perDay: number): DoraBand {
  if (perDay >= 1) return 'elite';
  if (perDay >= 1 / 7) return 'high';
  if (perDay >= 1 / 30) return 'medium';
  return 'low';
}

export function leadTimeBand(medianSeconds: number | null): DoraBand | null {
  if (medianSeconds === null) return null;
  if (medianSeconds < DAY_S) return 'elite';
  if (medianSeconds <= 7 * DAY_S) return 'high';
  if (medianSeconds <= 30 * DAY_S) return 'medium';
  return 'low';
}

export function changeFailureBand(rate: number | null): DoraBand | null {
  if (rate === null) return null;
  if (rate <= 0.05) return 'elite';
  if (rate <= 0.1) return 'high';
  if (rate <= 0.15) return 'medium';
  return 'low';
}

export function recoveryBand(medianSeconds: number | null): DoraBand | null {
  if (medianSeconds === null) return null;
  if (medianSeconds < HOUR_S) return 'elite';
  if (medianSeconds < DAY_S) return 'high';
  if (medianSeconds <= 7 * DAY_S) return 'medium';
  return 'low';
}

/** The q-quantile (0..1) by linear interpolation between the closest ranks (numpy's default); null when empty. */
export function quantile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const lower = sorted[below] as number;
  const upper = sorted[Math.min(below + 1, sorted.length - 1)] as number;
  return lower + (upper - lower) * (position - below);
}

/** What the four keys read of one deployment: its memo's fields, or the delivery ledger's entry. */
export interface DeliveryRecord {
  deployment_id: string;
  kind: DeploymentInfo['kind'];
  status: DeploymentInfo['status'];
  git_ref: string | null;
  initiated_at: string;
  completed_at: string | null;
  /** Its cd.yml run was dispatched (the memo has an Actions run). */
  dispatched: boolean;
  /** The committer times of the commits it brought live, recorded when it went live. */
  commit_times?: readonly string[] | undefined;
}

/** The record of a deployment's memo. */
export function deliveryRecord(info: DeploymentInfo): DeliveryRecord {
  const { deployment_id, kind, status, git_ref, initiated_at, completed_at, commit_times } = info;
  return {
    deployment_id,
    kind,
    status,
    git_ref,
    initiated_at,
    completed_at,
    dispatched: info.logs_url !== null,
    ...(commit_times ? { commit_times } : {}),
  };
}

/** One dispatched change and what became of it. */
export interface ChangeOutcome {
  deployment_id: string;
  sha: string | null;
  /** When its outcome was known: when it ended. */
  ended_at: number;
  /** When it went live; null when it failed after dispatch. */
  live_at: number | null;
  /** The commit the environment ran just before this one went live; null when nothing earlier is recorded. */
  base_sha: string | null;
  failure: 'failed_after_dispatch' | 'rolled_back' | null;
  /** The committer times of the commits it brought live, when known (recorded at go-live, or read from GitHub). */
  commit_times: readonly string[] | null;
}

export interface FailureEpisode {
  deployment_id: string;
  known_at: number;
  recovered_at: number | null;
}

export interface DeliveryHistory {
  changes: ChangeOutcome[];
  failures: FailureEpisode[];
  /** Rollbacks dispatched, by their end time. */
  rollbacks: { ended_at: number; succeeded: boolean }[];
}

const time = (iso: string | null): number | null => (iso === null ? null : Date.parse(iso));

function dispatchedAndEnded(record: DeliveryRecord): boolean {
  return record.dispatched && record.completed_at !== null && record.status !== 'in_progress';
}

/** The first index of an ascending array where `holds` turns true (the array's length when it never does). */
function firstIndex(sorted: readonly number[], holds: (value: number) => boolean): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (holds(sorted[middle] as number)) high = middle;
    else low = middle + 1;
  }
  return low;
}

/** Reads one environment's deployments (any order) into changes, failures and rollbacks by the rules above. */
export function deliveryHistory(records: readonly DeliveryRecord[]): DeliveryHistory {
  const ended = records
    .filter(dispatchedAndEnded)
    .sort((a, b) => Date.parse(a.initiated_at) - Date.parse(b.initiated_at));
  const live = ended
    .filter((record) => record.status === 'success')
    .sort((a, b) => Date.parse(a.completed_at as string) - Date.parse(b.completed_at as string));
  const liveTimes = live.map((record) => Date.parse(record.completed_at as string));
  const livePlace = new Map(live.map((record, index) => [record, index]));
  // Binary searches over the live timeline: a year of deployments is thousands of them.
  const firstLiveFrom = (at: number) => firstIndex(liveTimes, (each) => each >= at);
  const liveAt = (at: number) => live[firstIndex(liveTimes, (each) => each > at) - 1] ?? null;
  const failedChanges = ended.filter((record) => record.kind !== 'rollback' && record.status === 'failure');
  const rollbacks = ended.filter((record) => record.kind === 'rollback');
  const rolledBackBy = new Map<string, DeliveryRecord>();
  const recoveryOf = new Map<string, DeliveryRecord>();
  for (const rollback of rollbacks) {
    const askedAt = Date.parse(rollback.initiated_at);
    const running = liveAt(askedAt);
    const since = running ? Date.parse(running.completed_at as string) : Number.NEGATIVE_INFINITY;
    const failedMeanwhile = failedChanges.find(
      (record) =>
        Date.parse(record.initiated_at) >= since &&
        Date.parse(record.initiated_at) <= askedAt &&
        !recoveryOf.has(record.deployment_id),
    );
    if (failedMeanwhile) recoveryOf.set(failedMeanwhile.deployment_id, rollback);
    else if (running && running.kind !== 'rollback' && !rolledBackBy.has(running.deployment_id))
      rolledBackBy.set(running.deployment_id, rollback);
  }
  const changes: ChangeOutcome[] = [];
  const failures: FailureEpisode[] = [];
  for (const record of ended) {
    if (record.kind === 'rollback') continue;
    const endedAt = Date.parse(record.completed_at as string);
    const succeeded = record.status === 'success';
    const before = succeeded ? live[(livePlace.get(record) as number) - 1] : undefined;
    const rollback = rolledBackBy.get(record.deployment_id);
    changes.push({
      deployment_id: record.deployment_id,
      sha: record.git_ref,
      ended_at: endedAt,
      live_at: succeeded ? endedAt : null,
      base_sha: before?.git_ref ?? null,
      failure: !succeeded ? 'failed_after_dispatch' : rollback ? 'rolled_back' : null,
      commit_times: succeeded ? (record.commit_times ?? null) : null,
    });
    if (succeeded && !rollback) continue;
    // A live change turns out bad when its rollback is asked for; a failed one when it ends or its rollback starts.
    const rescue = recoveryOf.get(record.deployment_id);
    const knownAt = rollback
      ? Date.parse(rollback.initiated_at)
      : Math.min(endedAt, time(rescue?.initiated_at ?? null) ?? endedAt);
    const from = firstLiveFrom(knownAt);
    const recovery = live[from] === record ? live[from + 1] : live[from];
    failures.push({
      deployment_id: record.deployment_id,
      known_at: knownAt,
      recovered_at: time(recovery?.completed_at ?? null),
    });
  }
  return {
    changes,
    failures,
    rollbacks: rollbacks.map((record) => ({
      ended_at: Date.parse(record.completed_at as string),
      succeeded: record.status === 'success',
    })),
  };
}

/** A half-open interval of time [start, end) in epoch milliseconds. */
export interface MetricsWindow {
  start: number;
  end: number;
}

export function metricsWindows(nowMs: number, days: number): { current: MetricsWindow; previous: MetricsWindow } {
  const span = days * DAY_MS;
  return {
    current: { start: nowMs - span, end: nowMs },
    previous: { start: nowMs - 2 * span, end: nowMs - span },
  };
}

const within = (at: number | null, window: MetricsWindow) => at !== null && at >= window.start && at < window.end;

/**
 * The changes live in these windows whose commits are unknown (deployed before go-live recorded them, or GitHub could
 * not be read then) and can be compared with the commit live before them: GitHub's `base...head` gives them.
 */
export function changesToCompare(history: DeliveryHistory, windows: readonly MetricsWindow[]): ChangeOutcome[] {
  return history.changes.filter(
    (change) =>
      change.commit_times === null &&
      change.base_sha &&
      change.sha &&
      windows.some((window) => within(change.live_at, window)),
  );
}

export function comparisonKey(base: string, head: string): string {
  return `${base}...${head}`;
}

export interface WindowMetrics {
  start: string;
  end: string;
  deployment_frequency: {
    successful_deployments: number;
    per_day: number;
    per_week: number;
    band: DoraBand;
  };
  lead_time_for_changes: {
    median_seconds: number | null;
    p90_seconds: number | null;
    commits: number;
    deployments_measured: number;
    /** Live in the window with no earlier recorded live commit to compare with (the environment's first). */
    deployments_without_base: number;
    band: DoraBand | null;
  };
  change_failure_rate: {
    rate: number | null;
    failed_deployments: number;
    failed_after_dispatch: number;
    rolled_back: number;
    dispatched_deployments: number;
    band: DoraBand | null;
  };
  failed_deployment_recovery_time: {
    median_seconds: number | null;
    failures: number;
    recovered: number;
    unrecovered: number;
    band: DoraBand | null;
  };
  rollbacks: number;
}

const seconds = (ms: number | null) => (ms === null ? null : Math.round(ms / 1000));
const rounded = (value: number) => Math.round(value * 1000) / 1000;

/** The four keys over one window. Changes count by when they ended; failures by when they became known. */
export function windowMetrics(history: DeliveryHistory, window: MetricsWindow): WindowMetrics {
  const days = (window.end - window.start) / DAY_MS;
  const ended = history.changes.filter((change) => within(change.ended_at, window));
  const liveHere = ended.filter((change) => change.live_at !== null);
  const leadTimes: number[] = [];
  let measured = 0;
  let withoutBase = 0;
  for (const change of liveHere) {
    const commits = change.commit_times;
    if (commits) {
      measured++;
      for (const committed of commits) leadTimes.push((change.live_at as number) - Date.parse(committed));
    } else if (!change.base_sha || !change.sha) withoutBase++;
  }
  const failed = ended.filter((change) => change.failure !== null);
  const perDay = liveHere.length / days;
  const failures = history.failures.filter((failure) => within(failure.known_at, window));
  const recoveries = failures
    .filter((failure) => failure.recovered_at !== null)
    .map((failure) => (failure.recovered_at as number) - failure.known_at);
  const rate = ended.length === 0 ? null : rounded(failed.length / ended.length);
  const medianLead = seconds(quantile(leadTimes, 0.5));
  const medianRecovery = seconds(quantile(recoveries, 0.5));
  return {
    start: new Date(window.start).toISOString(),
    end: new Date(window.end).toISOString(),
    deployment_frequency: {
      successful_deployments: liveHere.length,
      per_day: rounded(perDay),
      per_week: rounded(perDay * 7),
      band: frequencyBand(perDay),
    },
    lead_time_for_changes: {
      median_seconds: medianLead,
      p90_seconds: seconds(quantile(leadTimes, 0.9)),
      commits: leadTimes.length,
      deployments_measured: measured,
      deployments_without_base: withoutBase,
      band: leadTimeBand(medianLead),
    },
    change_failure_rate: {
      rate,
      failed_deployments: failed.length,
      failed_after_dispatch: failed.filter((change) => change.failure === 'failed_after_dispatch').length,
      rolled_back: failed.filter((change) => change.failure === 'rolled_back').length,
      dispatched_deployments: ended.length,
      band: changeFailureBand(rate),
    },
    failed_deployment_recovery_time: {
      median_seconds: medianRecovery,
      failures: failures.length,
      recovered: recoveries.length,
      unrecovered: failures.length - recoveries.length,
      band: recoveryBand(medianRecovery),
    },
    rollbacks: history.rollbacks.filter((rollback) => within(rollback.ended_at, window)).length,
  };
}

export type Trend = 'better' | 'worse' | 'same' | null;

function compare(now: number | null, before: number | null, higherIsBetter: boolean): Trend {
  if (now === null || before === null) return null;
  if (now === before) return 'same';
  return now > before === higherIsBetter ? 'better' : 'worse';
}

/** Each key against the previous window: more deployments is better; shorter times and fewer failures are. */
export function metricsTrend(current: WindowMetrics, previous: WindowMetrics) {
  return {
    deployment_frequency: compare(current.deployment_frequency.per_day, previous.deployment_frequency.per_day, true),
    lead_time_for_changes: compare(
      current.lead_time_for_changes.median_seconds,
      previous.lead_time_for_changes.median_seconds,
      false,
    ),
    change_failure_rate: compare(current.change_failure_rate.rate, previous.change_failure_rate.rate, false),
    failed_deployment_recovery_time: compare(
      current.failed_deployment_recovery_time.median_seconds,
      previous.failed_deployment_recovery_time.median_seconds,
      false,
    ),
  };
}

/** The window cut into `buckets` equal spans, each with its own figures: the dashboard's trend charts. */
export function metricsSeries(history: DeliveryHistory, window: MetricsWindow, buckets: number): WindowMetrics[] {
  const span = (window.end - window.start) / buckets;
  return Array.from({ length: buckets }, (_, index) =>
    windowMetrics(history, { start: window.start + index * span, end: window.start + (index + 1) * span }),
  );
}
