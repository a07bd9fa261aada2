// The four DORA keys on hand-built deployment histories: what counts as a deployment, a failure and a recovery.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  changeFailureBand,
  changesToCompare,
  type DeliveryRecord,
  deliveryHistory,
  deliveryRecord,
  frequencyBand,
  leadTimeBand,
  metricsTrend,
  metricsWindows,
  quantile,
  recoveryBand,
  windowMetrics,
} from '../../domain/delivery-metrics.js';
import type { DeploymentInfo } from '../../domain/deployment-model.js';

const T0 = Date.parse('2026-11-01T00:00:00Z');
const MIN = 60_000;
const at = (minutes: number) => new Date(T0 + minutes * MIN).toISOString();

/** A deployment that was asked for at `from` and ended at `to` (minutes after T0). */
function deployment(
  id: string,
  kind: DeploymentInfo['kind'],
  status: DeploymentInfo['status'],
  sha: string | null,
  from: number,
  to: number | null,
  dispatched = true,
): DeliveryRecord {
  return deliveryRecord({
    deployment_id: id,
    kind,
    environment: 'production',
    status,
    version: sha,
    git_ref: sha,
    initiated_by: 'system',
    initiated_at: at(from),
    completed_at: to === null ? null : at(to),
    duration_ms: to === null ? null : (to - from) * MIN,
    health_status: 'healthy',
    logs_url: dispatched ? `https://github.example/runs/${id}` : null,
  });
}

/** The same deployment, with the commit times it recorded when it went live. */
const withCommits = (record: DeliveryRecord, minutes: number[]): DeliveryRecord => ({
  ...record,
  commit_times: minutes.map(at),
});

/**
 * The e2e's story by hand: four good promotions, one whose run fails and is rolled back automatically (the rollback
 * starts before the failed promotion ends), one rolled back by a person; plus one refused, one rejected.
 */
const STORY = [
  deployment('p1', 'promotion', 'success', 'a1', 0, 10),
  deployment('p2', 'promotion', 'success', 'a2', 20, 30),
  deployment('p3', 'promotion', 'failure', 'a3', 40, 60),
  deployment('r-auto', 'rollback', 'success', 'a2', 50, 55),
  deployment('p4', 'promotion', 'success', 'a4', 70, 80),
  deployment('p5', 'promotion', 'success', 'a5', 90, 100),
  deployment('r-manual', 'rollback', 'success', 'a4', 130, 136),
  deployment('refused', 'promotion', 'failure', null, 140, 140, false),
  deployment('rejected', 'promotion', 'failure', 'a6', 150, 160, false),
  deployment('running', 'promotion', 'in_progress', 'a6', 170, null),
];

describe('delivery history', () => {
  const history = deliveryHistory(STORY);

  it('counts dispatched promotions only as changes: refused, rejected, running and rollbacks are not', () => {
    assert.deepEqual(
      history.changes.map((change) => change.deployment_id),
      ['p1', 'p2', 'p3', 'p4', 'p5'],
    );
  });

  it('marks a failed run and a change a person rolled back as failed, and blames no one for the automatic rollback', () => {
    assert.deepEqual(
      history.changes.map((change) => [change.deployment_id, change.failure]),
      [
        ['p1', null],
        ['p2', null],
        ['p3', 'failed_after_dispatch'],
        ['p4', null],
        ['p5', 'rolled_back'],
      ],
    );
  });

  it('takes as base the commit live just before: after the automatic rollback, p4 compares with p2', () => {
    assert.deepEqual(
      history.changes.map((change) => [change.deployment_id, change.base_sha]),
      [
        ['p1', null],
        ['p2', 'a1'],
        ['p3', null],
        ['p4', 'a2'],
        ['p5', 'a4'],
      ],
    );
  });

  it('knows a failure when its rollback starts (or it ends) and sees it recovered by the next live deployment', () => {
    assert.deepEqual(history.failures, [
      { deployment_id: 'p3', known_at: T0 + 50 * MIN, recovered_at: T0 + 55 * MIN },
      { deployment_id: 'p5', known_at: T0 + 130 * MIN, recovered_at: T0 + 136 * MIN },
    ]);
  });

  it('counts a failure with no rollback as recovered by the next successful deployment', () => {
    const failedThenFixed = deliveryHistory([
      deployment('p1', 'promotion', 'success', 'a1', 0, 10),
      deployment('p2', 'promotion', 'failure', 'a2', 20, 30),
      deployment('p3', 'promotion', 'success', 'a3', 100, 130),
    ]);
    assert.deepEqual(failedThenFixed.failures, [
      { deployment_id: 'p2', known_at: T0 + 30 * MIN, recovered_at: T0 + 130 * MIN },
    ]);
  });

  it('counts a bake failure (run succeeded, then failed with an automatic rollback) as a failed change', () => {
    const baked = deliveryHistory([
      deployment('p1', 'promotion', 'success', 'a1', 0, 10),
      deployment('p2', 'promotion', 'failure', 'a2', 20, 90),
      deployment('r', 'rollback', 'success', 'a1', 80, 85),
    ]);
    assert.deepEqual(
      baked.changes.map((change) => [change.deployment_id, change.failure]),
      [
        ['p1', null],
        ['p2', 'failed_after_dispatch'],
      ],
    );
    assert.deepEqual(baked.failures, [{ deployment_id: 'p2', known_at: T0 + 80 * MIN, recovered_at: T0 + 85 * MIN }]);
  });

  it('blames no change for a rollback of a rollback', () => {
    const twice = deliveryHistory([
      deployment('p1', 'promotion', 'success', 'a1', 0, 10),
      deployment('p2', 'promotion', 'success', 'a2', 20, 30),
      deployment('r1', 'rollback', 'success', 'a1', 40, 45),
      deployment('r2', 'rollback', 'success', 'a2', 50, 55),
    ]);
    assert.deepEqual(
      twice.changes.map((change) => change.failure),
      [null, 'rolled_back'],
    );
  });
});

describe('the four keys over a window', () => {
  // p2 shipped one commit made 5 minutes before it went live (t=30); p4 the failed p3's commit and its fix.
  const COMMITS: Record<string, number[]> = { p2: [25], p4: [35, 65], p5: [85] };
  const recorded = STORY.map((record) => {
    const commits = COMMITS[record.deployment_id];
    return commits ? withCommits(record, commits) : record;
  });
  const history = deliveryHistory(recorded);
  const window = { start: T0, end: T0 + 7 * 24 * 60 * MIN };
  const metrics = windowMetrics(history, window);

  it('deployment frequency: successful changes per day and week over the window', () => {
    assert.deepEqual(metrics.deployment_frequency, {
      successful_deployments: 4,
      per_day: 0.571,
      per_week: 4,
      band: 'high',
    });
  });

  it('lead time: each commit from its time to its deployment going live; median and p90', () => {
    // lead times in minutes: p2 5; p4 45, 15; p5 15 → sorted 5, 15, 15, 45
    assert.deepEqual(metrics.lead_time_for_changes, {
      median_seconds: 15 * 60,
      p90_seconds: Math.round((15 + (45 - 15) * 0.7) * 60),
      commits: 4,
      deployments_measured: 3,
      deployments_without_base: 1,
      band: 'elite',
    });
  });

  it('change failure rate: failed after dispatch or rolled back, over dispatched', () => {
    assert.deepEqual(metrics.change_failure_rate, {
      rate: 0.4,
      failed_deployments: 2,
      failed_after_dispatch: 1,
      rolled_back: 1,
      dispatched_deployments: 5,
      band: 'low',
    });
  });

  it('recovery time: from a failure known to the next successful deployment or rollback; median', () => {
    assert.deepEqual(metrics.failed_deployment_recovery_time, {
      median_seconds: ((5 + 6) / 2) * 60,
      failures: 2,
      recovered: 2,
      unrecovered: 0,
      band: 'elite',
    });
    assert.equal(metrics.rollbacks, 2);
  });

  it('measures changes that recorded their commits and those whose commits GitHub gave later alike', () => {
    // p4's commits were not recorded at go-live: the ledger learnt them later from GitHub's comparison.
    const mixed = deliveryHistory(
      recorded.map((record) => (record.deployment_id === 'p4' ? { ...record, commit_times: undefined } : record)),
    );
    assert.equal(windowMetrics(mixed, window).lead_time_for_changes.deployments_measured, 2);
    const learnt = deliveryHistory(
      recorded.map((record) => (record.deployment_id === 'p4' ? withCommits(record, [35, 65]) : record)),
    );
    assert.deepEqual(windowMetrics(learnt, window).lead_time_for_changes, metrics.lead_time_for_changes);
  });

  it('asks GitHub only for changes live in the windows whose commits are unknown', () => {
    const unrecorded = deliveryHistory(STORY);
    const compared = (windows: { start: number; end: number }[]) =>
      changesToCompare(unrecorded, windows).map((change) => `${change.base_sha}...${change.sha}`);
    assert.deepEqual(compared([window]), ['a1...a2', 'a2...a4', 'a4...a5']);
    assert.deepEqual(compared([{ start: T0 + 75 * MIN, end: T0 + 200 * MIN }]), ['a2...a4', 'a4...a5']);
    assert.deepEqual(changesToCompare(history, [window]), []);
  });

  it('puts the previous window right before the current one, for the trend', () => {
    const windows = metricsWindows(T0 + 30 * 24 * 60 * MIN, 30);
    assert.deepEqual(windows, {
      current: { start: T0, end: T0 + 30 * 24 * 60 * MIN },
      previous: { start: T0 - 30 * 24 * 60 * MIN, end: T0 },
    });
    const empty = windowMetrics(history, windows.previous);
    assert.equal(empty.deployment_frequency.successful_deployments, 0);
    assert.equal(empty.deployment_frequency.band, 'low');
    assert.equal(empty.change_failure_rate.rate, null);
    assert.equal(empty.lead_time_for_changes.median_seconds, null);
    assert.equal(empty.failed_deployment_recovery_time.band, null);
  });
});

describe('lead times recorded at go-live', () => {
  it('carries a live change’s recorded commit times, and none for a failed one', () => {
    // p3's memo says times, but it never went live.
    const times: Record<string, number[]> = { p1: [-30], p2: [25], p3: [38], p5: [85, 95] };
    const history = deliveryHistory(
      STORY.map((record) => {
        const commits = times[record.deployment_id];
        return commits ? withCommits(record, commits) : record;
      }),
    );
    assert.deepEqual(
      history.changes.map((change) => [change.deployment_id, change.commit_times]),
      [
        ['p1', [at(-30)]],
        ['p2', [at(25)]],
        ['p3', null],
        ['p4', null],
        ['p5', [at(85), at(95)]],
      ],
    );
  });
});

describe('DORA 2023 bands and quantiles', () => {
  it('places each key at the report’s cluster boundaries', () => {
    assert.deepEqual([1, 0.5, 1 / 7, 1 / 30, 0.01].map(frequencyBand), ['elite', 'high', 'high', 'medium', 'low']);
    const day = 86_400;
    assert.deepEqual([day - 1, day, 7 * day, 30 * day, 31 * day].map(leadTimeBand), [
      'elite',
      'high',
      'high',
      'medium',
      'low',
    ]);
    assert.deepEqual([0, 0.05, 0.1, 0.15, 0.16].map(changeFailureBand), ['elite', 'elite', 'high', 'medium', 'low']);
    assert.deepEqual([3599, 3600, day, 7 * day, 8 * day].map(recoveryBand), [
      'elite',
      'high',
      'medium',
      'medium',
      'low',
    ]);
  });

  it('interpolates between the closest ranks', () => {
    assert.equal(quantile([], 0.5), null);
    assert.equal(quantile([7], 0.9), 7);
    assert.equal(quantile([4, 1, 3, 2], 0.5), 2.5);
    assert.equal(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9), 9.1);
  });
});

describe('trend against the previous window', () => {
  it('calls more deployments, shorter times and fewer failures better; no figure on either side, null', () => {
    const history = deliveryHistory(STORY);
    const week = 7 * 24 * 60 * MIN;
    const now = windowMetrics(history, { start: T0, end: T0 + week });
    const before = windowMetrics(history, { start: T0 - week, end: T0 });
    assert.deepEqual(metricsTrend(now, before), {
      deployment_frequency: 'better',
      lead_time_for_changes: null,
      change_failure_rate: null,
      failed_deployment_recovery_time: null,
    });
    assert.deepEqual(metricsTrend(before, now).deployment_frequency, 'worse');
    assert.deepEqual(metricsTrend(now, now), {
      deployment_frequency: 'same',
      lead_time_for_changes: null,
      change_failure_rate: 'same',
      failed_deployment_recovery_time: 'same',
    });
  });
});
