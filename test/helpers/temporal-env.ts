import { TestWorkflowEnvironment } from '@temporalio/testing';
import { SEARCH_ATTRIBUTES } from '../../domain/search-attributes.js';
import { findTemporalBinaries, serverExecutable } from '../../scripts/temporal-binaries.js';

/** The real time-skipping test server (found by scripts/temporal-binaries; `npm test` installs it first). */
export async function startTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const { testServer } = await findTemporalBinaries();
  return TestWorkflowEnvironment.createTimeSkipping({ server: { executable: serverExecutable(testServer) } });
}

/** The real dev server (the Temporal CLI), with the product's search attributes, for visibility and end to end. */
export async function startDevServerEnv(): Promise<TestWorkflowEnvironment> {
  const { cli } = await findTemporalBinaries();
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: serverExecutable(cli),
      ip: '127.0.0.1',
      ui: false,
      searchAttributes: Object.values(SEARCH_ATTRIBUTES),
      log: { format: 'pretty', level: 'warn' },
    },
  });
}
