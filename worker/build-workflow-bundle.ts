// Bundles the workflows once at build time, so neither the worker nor the tests pay webpack on every start.
import { writeFile } from 'node:fs/promises';
import { bundleWorkflowCode } from '@temporalio/worker';
import { WORKFLOW_BUNDLE_PATH, WORKFLOWS_ENTRY_PATH } from './workflow-bundle-path.js';

const { code } = await bundleWorkflowCode({
  workflowsPath: WORKFLOWS_ENTRY_PATH,
  logger: { log() {}, trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error },
});
await writeFile(WORKFLOW_BUNDLE_PATH, code);
console.error(`workflow bundle written to ${WORKFLOW_BUNDLE_PATH} (${Math.round(code.length / 1024)} KiB)`);
