// Redaction of secrets from log lines, error messages, and activity failures written into workflow histories.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ActivityExecuteInput } from '@temporalio/worker';
import { createRedactor, REDACTED, redactWrites, secretValues } from '../../domain/redaction.js';
import { redactActivityErrors } from '../../worker/redact-activity-errors.js';

const GITHUB_TOKEN = `ghp_${'A1b2C3d4'.repeat(5)}`;

describe('redaction', () => {
  it('replaces the given secrets and anything shaped like a credential', () => {
    const redact = createRedactor(['admin-token-123456', undefined, 'abc']);
    assert.equal(
      redact(
        `token admin-token-123456 via Bearer xyzxyzxyz and ${GITHUB_TOKEN}; github_pat_${'x'.repeat(30)}; abc stays`,
      ),
      `token ${REDACTED} via Bearer ${REDACTED} and ${REDACTED}; ${REDACTED}; abc stays`,
    );
  });

  it('finds the secrets of every secret variable, list entries and payload keys alike', () => {
    assert.deepEqual(
      secretValues({
        GITHUB_TOKEN,
        DEPLOYMENT_ADMIN_TOKENS: 'one-token, two-token',
        PAYLOAD_CODEC_KEYS: 'k1=AAAA',
        MCP_AUTH_TOKEN: '',
        STAGING_URL: 'https://staging.example.com',
      }).sort(),
      [GITHUB_TOKEN, 'AAAA', 'k1=AAAA', 'one-token', 'two-token'].sort(),
    );
  });

  it('redacts what is written to a stream', () => {
    const written: string[] = [];
    const stream = { write: (chunk: Uint8Array | string) => written.push(String(chunk)) > 0 };
    redactWrites(stream, createRedactor(['admin-token-123456']));
    stream.write('checking admin-token-123456\n');
    stream.write(new TextEncoder().encode(`GitHub said no to ${GITHUB_TOKEN}\n`));
    assert.deepEqual(written, [`checking ${REDACTED}\n`, `GitHub said no to ${REDACTED}\n`]);
  });

  it("redacts an activity's failure, and its cause, before Temporal writes it into the history", async () => {
    const interceptors = redactActivityErrors(createRedactor(['admin-token-123456']))({} as never);
    const failure = new Error('request with admin-token-123456 failed', { cause: new Error(`auth ${GITHUB_TOKEN}`) });
    await assert.rejects(
      interceptors.inbound?.execute?.({} as ActivityExecuteInput, async () => {
        throw failure;
      }) ?? Promise.resolve(),
      (error: Error) =>
        error.message === `request with ${REDACTED} failed` &&
        (error.cause as Error).message === `auth ${REDACTED}` &&
        !error.stack?.includes('admin-token-123456'),
    );
  });
});
