// The delivery ledger's entries: what it keeps of a deployment, how a reading merges, what it carries over, and
// that its figures are the four keys of the same deployments read straight from their memos.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  COMPARISONS_PER_READING,
  commitTimesProblem,
  LEDGER_HORIZON_MS,
  ledgerBatchProblem,
  ledgerEntry,
  ledgerFigures,
  ledgerId,
  mergeEntries,
  packLedger,
  unpackLedger,
  withCommitTimes,
} from '../../domain/delivery-ledger.js';
import { type DeliveryRecord, deliveryHistory, metricsWindows, windowMetrics } from '../../domain/delivery-metrics.js';

const T0 = Date.parse('2026-11-01T00:00:00Z');
const MIN = 60_000;
const at = (minutes: number) => new Date(T0 + minutes * MIN).toISOString();

function record(
  id: string,
  kind: DeliveryRecord['kind'],
  status: DeliveryRecord['status'],
  sha: string,
  from: number,
  to: number,
  commits?: number[],
): DeliveryRecord {
  return {
    deployment_id: id,
    kind,
    status,
    git_ref: sha,
    initiated_at: at(from),
    completed_at: at(to),
    dispatched: true,
    ...(commits ? { commit_times: commits.map(at) } : {}),
  };
}

const STORY = [
  record('p1', 'promotion', 'success', 'a1', 0, 10),
  record('p2', 'promotion', 'success', 'a2', 20, 30, [25]),
  record('p3', 'promotion', 'failure', 'a3', 40, 60),
  record('r-auto', 'rollback', 'success', 'a2', 50, 55),
  record('p4', 'promotion', 'success', 'a4', 70, 80),
  record('p5', 'promotion', 'success', 'a5', 90, 100, [85]),
  record('r-manual', 'rollback', 'success', 'a4', 130, 136),
];
const NOW = T0 + 2 * 24 * 60 * MIN;
const entriesOf = (records: DeliveryRecord[]) =>
  mergeEntries(
    [],
    records.flatMap((each) => ledgerEntry(each) ?? []),
    NOW,
  );

describe('delivery ledger', () => {
  it('keeps only dispatched deployments that ended', () => {
    assert.equal(ledgerEntry({ ...STORY[0], dispatched: false } as DeliveryRecord), null);
    assert.equal(ledgerEntry({ ...STORY[0], status: 'in_progress', completed_at: null } as DeliveryRecord), null);
    assert.equal(entriesOf(STORY).length, STORY.length);
  });

  it('gives the same four keys as the deployments read from their memos, carried over in its packed form', () => {
    const entries = unpackLedger(packLedger(entriesOf(STORY)));
    const request = { window_days: 1, now: NOW, buckets: 4 };
    const figures = ledgerFigures(entries, request);
    const direct = deliveryHistory(STORY);
    const windows = metricsWindows(NOW, 1);
    const lead = (metrics: ReturnType<typeof windowMetrics>) => metrics.lead_time_for_changes;
    assert.deepEqual(
      { ...figures.previous, lead_time_for_changes: lead(figures.previous).commits },
      {
        ...windowMetrics(direct, windows.previous),
        lead_time_for_changes: lead(windowMetrics(direct, windows.previous)).commits,
      },
    );
    assert.equal(figures.deployments_read, STORY.length);
    assert.equal(figures.series.length, 4);
    // p4 went live without its commits recorded: its comparison with p2's commit (live before it) is asked for.
    assert.deepEqual(figures.comparisons_needed, [{ id: ledgerId('p4'), comparison: 'a2...a4' }]);
    const wide = ledgerFigures(entries, { window_days: 30, now: NOW, buckets: 0 });
    assert.deepEqual(wide.comparisons_needed, [{ id: ledgerId('p4'), comparison: 'a2...a4' }]);
    assert.equal(wide.comparisons_pending, 1);
    assert.deepEqual(wide.current, windowMetrics(direct, metricsWindows(NOW, 30).current));
  });

  it('measures a change once GitHub gave its commits, and keeps them over a later reading of the same deployment', () => {
    const learnt = withCommitTimes(entriesOf(STORY), { [ledgerId('p4')]: [at(35), at(65)] });
    const again = mergeEntries(
      learnt,
      [ledgerEntry(STORY[4] as DeliveryRecord)].flatMap((each) => each ?? []),
      NOW,
    );
    const figures = ledgerFigures(again, { window_days: 30, now: NOW, buckets: 0 });
    assert.deepEqual(figures.comparisons_needed, []);
    assert.equal(figures.current.lead_time_for_changes.deployments_measured, 3);
    assert.equal(figures.current.lead_time_for_changes.commits, 4);
    assert.equal(again.length, STORY.length);
  });

  it('drops shas no comparison needs any more, and keeps the newest live one as the next change’s base', () => {
    const measured = withCommitTimes(entriesOf(STORY), { [ledgerId('p4')]: [at(35), at(65)] });
    const packed = packLedger(measured);
    const shas = packed.map((entry) => entry[4]);
    // In completion order: p1, p2, r-auto, p3, p4, p5, r-manual. Rollbacks have no commits of their own, so they
    // and the change before each keep theirs; p3 failed (no base of anything); p4 is measured, and so is p5 after it.
    assert.deepEqual(shas, ['a1', 'a2', 'a2', null, null, 'a5', 'a4']);
  });

  it('forgets deployments older than its horizon, but the last one live before it', () => {
    const later = T0 + LEDGER_HORIZON_MS + 200 * MIN;
    const newer = record('p6', 'promotion', 'success', 'a6', 60 * 24 * 365 * 2 + 150, 60 * 24 * 365 * 2 + 160);
    const kept = mergeEntries(
      entriesOf(STORY),
      [ledgerEntry(newer)].flatMap((each) => each ?? []),
      later,
    );
    assert.deepEqual(
      kept.map((entry) => entry.id),
      [ledgerId('r-manual'), ledgerId('p6')],
    );
  });

  it('asks for at most a reading’s share of comparisons, the newest first, and counts the rest', () => {
    const unrecorded = Array.from({ length: 601 }, (_, index) =>
      record(`p${index}`, 'promotion', 'success', `s${index}`, index * 2, index * 2 + 1),
    );
    const figures = ledgerFigures(entriesOf(unrecorded), { window_days: 30, now: NOW, buckets: 0 });
    assert.equal(figures.comparisons_pending, 600);
    assert.equal(figures.comparisons_needed.length, COMPARISONS_PER_READING);
    assert.deepEqual(figures.comparisons_needed[0], { id: ledgerId('p600'), comparison: 's599...s600' });
  });

  it('refuses a malformed batch, naming the field', () => {
    assert.equal(ledgerBatchProblem({ records: STORY, readUntil: NOW }), null);
    assert.match(ledgerBatchProblem({ records: 'all', readUntil: NOW }) ?? '', /records must be a list/);
    assert.match(ledgerBatchProblem({ records: [], readUntil: 'now' }) ?? '', /readUntil/);
    assert.match(
      ledgerBatchProblem({ records: [{ ...STORY[0], kind: 'hotfix' }], readUntil: NOW }) ?? '',
      /p1: kind must be one of deploy, promotion, rollback/,
    );
    assert.match(
      ledgerBatchProblem({ records: [{ ...STORY[0], initiated_at: 'yesterday' }], readUntil: NOW }) ?? '',
      /p1: initiated_at must be a time/,
    );
    assert.match(commitTimesProblem({ x: ['soon'] }) ?? '', /times of x must be a list of times/);
    assert.equal(commitTimesProblem({ x: [at(1)] }), null);
  });
});
