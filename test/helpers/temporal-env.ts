import { TestWorkflowEnvironment } from '@temporalio/testing';
import { parseCodecKeys } from '../../codec/codec-keys.js';
import { EncryptionCodec } from '../../codec/encryption-codec.js';
import { DEPLOYMENT_INITIATOR } from '../../domain/initiator-search-attribute.js';
import { SEARCH_ATTRIBUTES } from '../../domain/search-attributes.js';
import { findTemporalBinaries, serverExecutable } from '../../scripts/temporal-binaries.js';

/**
 * Every test stack encrypts its payloads, as `npm start` does: workers get these keys through PAYLOAD_CODEC_KEYS, the
 * tests' own client decodes with them. A test key, committed on purpose; it protects nothing real.
 */
export const TEST_PAYLOAD_CODEC_KEYS = 'test-key-1=q0wQp3d7cQm1WnW0o3s2kJ5G3p1qkq8pV9YQyJtLZ1c=';

export const TEST_CODEC = new EncryptionCodec(parseCodecKeys(TEST_PAYLOAD_CODEC_KEYS, 'test keys'));
export const TEST_DATA_CONVERTER = { payloadCodecs: [TEST_CODEC] };
const client = { dataConverter: TEST_DATA_CONVERTER };

/** The real time-skipping test server (found by scripts/temporal-binaries; `npm test` installs it first). */
export async function startTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const { testServer } = await findTemporalBinaries();
  return TestWorkflowEnvironment.createTimeSkipping({ server: { executable: serverExecutable(testServer) }, client });
}

/**
 * The real dev server (the Temporal CLI), with the product's search attributes, for visibility and end to end.
 * `extraArgs` go to `temporal server start-dev` (e.g. dynamic config values).
 */
export async function startDevServerEnv(extraArgs: string[] = []): Promise<TestWorkflowEnvironment> {
  const { cli } = await findTemporalBinaries();
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: serverExecutable(cli),
      ip: '127.0.0.1',
      ui: false,
      searchAttributes: [...Object.values(SEARCH_ATTRIBUTES), DEPLOYMENT_INITIATOR],
      log: { format: 'pretty', level: 'warn' },
      extraArgs,
    },
    client,
  });
}
