import { allHandlersFinished, condition, continueAsNew, log, setHandler, workflowInfo } from '@temporalio/workflow';
import {
  commitTimesProblem,
  deliveryRecordProblem,
  LEDGER_BATCH_SIZE,
  type LedgerEntry,
  ledgerBatchProblem,
  ledgerEntry,
  ledgerFigures,
  mergeEntries,
  type PackedEntry,
  packLedger,
  unpackLedger,
  withCommitTimes,
} from '../domain/delivery-ledger.js';
import type { Environment } from '../domain/environment.js';
import {
  deliveryFiguresQuery,
  type LedgerCoverage,
  ledgerCoverageQuery,
  recordCommitTimesUpdate,
  recordDeploymentSignal,
  recordDeploymentsUpdate,
} from './delivery-ledger-messages.js';

export interface DeliveryLedgerInput {
  environment: Environment;
  /** Carried over from the previous run (continue-as-new); absent for a new ledger. */
  entries?: PackedEntry[];
  until?: number | null;
}

/** A run hands over well before Temporal's history limits; a reading adds a handful of events. */
const EVENTS_PER_RUN = 5_000;

/**
 * A run also hands over once it was given as many deployments as half of what it holds (at least a batch): a worker
 * that lost its cache replays the run to answer a query, and replaying the packed entries is much cheaper than
 * replaying every reading's records (the first reading of a long history alone is megabytes).
 */
const handOverAfter = (held: number) => Math.max(LEDGER_BATCH_SIZE, held / 2);

/**
 * One environment's delivery history, kept for the four keys (get_deployment_metrics, the dashboard): every
 * dispatched deployment that ended, as it told the ledger ending or the gateway read it from Temporal visibility,
 * with the commit times of each change. It runs for as long as the environment exists, so what it holds outlives
 * the namespace's retention and a gateway's restart, and a reading after either costs one query instead of a read of
 * every deployment and GitHub's comparisons all over again. Its id is `delivery-ledger/<task queue>/<environment>`.
 */
export async function deliveryLedger(input: DeliveryLedgerInput): Promise<void> {
  const { environment } = input;
  let entries: LedgerEntry[] = unpackLedger(input.entries ?? []);
  let until = input.until ?? null;
  let received = 0;
  const coverage = (): LedgerCoverage => ({ environment, until, entries: entries.length });

  setHandler(ledgerCoverageQuery, coverage);
  setHandler(deliveryFiguresQuery, (request) => ledgerFigures(entries, request));
  setHandler(
    recordDeploymentsUpdate,
    ({ records, readUntil }) => {
      const incoming = records.flatMap((record) => ledgerEntry(record) ?? []);
      received += records.length;
      entries = mergeEntries(entries, incoming, Date.now());
      const untilBefore = until;
      until = Math.max(until ?? readUntil, readUntil);
      return { ...coverage(), untilBefore };
    },
    {
      validator: (batch) => {
        const problem = ledgerBatchProblem(batch);
        if (problem) throw new Error(problem);
      },
    },
  );
  setHandler(recordDeploymentSignal, (record) => {
    // A signal has no validator: a record the ledger cannot read is left to the gateway's next visibility reading.
    const problem = deliveryRecordProblem(record);
    if (problem) {
      log.warn('delivery ledger: a deployment signalled a record it cannot keep', { problem });
      return;
    }
    entries = mergeEntries(
      entries,
      [ledgerEntry(record)].flatMap((entry) => entry ?? []),
      Date.now(),
    );
    received++;
  });
  setHandler(
    recordCommitTimesUpdate,
    ({ times }) => {
      entries = withCommitTimes(entries, times);
      return coverage();
    },
    {
      validator: ({ times }) => {
        const problem = commitTimesProblem(times);
        if (problem) throw new Error(problem);
      },
    },
  );

  await condition(
    () =>
      workflowInfo().continueAsNewSuggested ||
      workflowInfo().historyLength >= EVENTS_PER_RUN ||
      received >= handOverAfter(entries.length),
  );
  await condition(allHandlersFinished);
  await continueAsNew<typeof deliveryLedger>({ environment, entries: packLedger(entries), until });
}
