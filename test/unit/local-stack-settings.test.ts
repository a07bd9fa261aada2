// What `npm start` leaves for a stdio gateway beside it: written owner-only, read back for every variable the
// gateway's own environment leaves unset, reported by name only.
import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  adoptLocalStackSettings,
  localStackSettingsPath,
  writeLocalStackSettings,
} from '../../mcp-gateway/local-stack-settings.js';

let dataDir: string;
before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'deploy-orchestrator-local-stack-'));
});
after(() => rm(dataDir, { recursive: true, force: true }));

describe('local-stack.env', () => {
  it('hands on the shared settings only, owner-only; set variables win; the report names no value', async () => {
    const stack = {
      DEPLOYMENT_DATA_DIR: dataDir,
      TEMPORAL_ADDRESS: '127.0.0.1:7299',
      DEPLOYMENT_AUDIT_LOG: join(dataDir, 'deployments.log'),
      DEPLOYMENT_ADMIN_TOKENS: 'sandbox-approval-secret',
      PAYLOAD_CODEC_KEY_FILE: join(dataDir, 'codec-keys'),
      GITHUB_TOKEN: 'ghp_not_for_the_gateway',
      TEMPORAL_NAMESPACE: '',
    };
    const path = await writeLocalStackSettings(stack);
    assert.equal(path, localStackSettingsPath({ DEPLOYMENT_DATA_DIR: dataDir }));
    assert.equal((await stat(path)).mode & 0o777, 0o600);

    const gateway: Record<string, string | undefined> = {
      DEPLOYMENT_DATA_DIR: dataDir,
      TEMPORAL_ADDRESS: 'temporal.internal:7233',
    };
    const report = await adoptLocalStackSettings(gateway);
    assert.deepEqual(gateway, {
      DEPLOYMENT_DATA_DIR: dataDir,
      TEMPORAL_ADDRESS: 'temporal.internal:7233',
      DEPLOYMENT_AUDIT_LOG: stack.DEPLOYMENT_AUDIT_LOG,
      DEPLOYMENT_ADMIN_TOKENS: stack.DEPLOYMENT_ADMIN_TOKENS,
      PAYLOAD_CODEC_KEY_FILE: stack.PAYLOAD_CODEC_KEY_FILE,
    });
    assert.equal(
      report,
      `DEPLOYMENT_AUDIT_LOG, DEPLOYMENT_ADMIN_TOKENS, PAYLOAD_CODEC_KEY_FILE from ${path} (written by npm start; set them to override)`,
    );
  });

  it('is nothing to a gateway where `npm start` never ran', async () => {
    const gateway: Record<string, string | undefined> = { DEPLOYMENT_DATA_DIR: join(dataDir, 'never-started') };
    assert.equal(await adoptLocalStackSettings(gateway), null);
    assert.deepEqual(Object.keys(gateway), ['DEPLOYMENT_DATA_DIR']);
  });
});
