// Replays every recorded history (test/histories, made by `npm run record-histories`) against today's workflow
// bundle: a change that would break a running workflow fails here with a nondeterminism error.
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Worker } from '@temporalio/worker';
import { WORKFLOW_BUNDLE_PATH } from '../../worker/workflow-bundle-path.js';
import { TEST_DATA_CONVERTER } from '../helpers/temporal-env.js';

const FOLDER = fileURLToPath(new URL('../../../test/histories/', import.meta.url));
const files = (await readdir(FOLDER)).filter((file) => file.endsWith('.json')).sort();

describe('recorded workflow histories replay against the current code', () => {
  it('has histories of every workflow', () => {
    for (const prefix of [
      'validate-',
      'scan-',
      'smoke-',
      'promotion-',
      'rollback-',
      'deploy-',
      'plan-',
      'environment-lock-',
      'delivery-ledger-',
    ]) {
      assert.ok(
        files.some((file) => file.startsWith(prefix)),
        `a ${prefix}* history`,
      );
    }
  });
  for (const file of files) {
    it(file, async () => {
      const history = JSON.parse(await readFile(`${FOLDER}${file}`, 'utf8'));
      // `id@variant.json`: another recorded history of the same workflow id (the environment lock's).
      const workflowId = decodeURIComponent(file.replace(/(@[^@]*)?\.json$/, ''));
      // Histories recorded since payloads are encrypted need the test keys; older plain ones pass the codec unchanged.
      await Worker.runReplayHistory(
        { workflowBundle: { codePath: WORKFLOW_BUNDLE_PATH }, dataConverter: TEST_DATA_CONVERTER },
        history,
        workflowId,
      );
    });
  }
});
