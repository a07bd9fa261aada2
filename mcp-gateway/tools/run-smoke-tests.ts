import { smokeTestsInputSchema, smokeTestsResultSchema } from '../../domain/smoke-tests.js';
import type { runSmokeTests } from '../../workflows/run-smoke-tests.js';
import { WORKFLOW_TYPES } from '../../workflows/workflow-types.js';
import { workflowTool } from '../workflow-tool.js';
import { READ_ONLY_TOOL } from './read-only-annotations.js';

export const runSmokeTestsTool = workflowTool<typeof runSmokeTests>()({
  name: 'run_smoke_tests',
  title: 'Run smoke tests',
  description:
    "Probes the deployed environment's health endpoints in parallel: 'basic' checks the API, database and Redis; " +
    "'full' adds the Celery worker and Celery beat. timeout_seconds (30-1800, default 300) bounds the whole run. " +
    'Returns passed and each probe with status, message and duration; any failure makes passed false with the reason.',
  inputSchema: smokeTestsInputSchema,
  resultSchema: smokeTestsResultSchema,
  annotations: READ_ONLY_TOOL,
  workflowType: WORKFLOW_TYPES.runSmokeTests,
  kind: 'smoke_tests',
  searchAttributes: (input) => ({ environment: input.environment }),
});
