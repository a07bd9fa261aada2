import { z } from 'zod';
import { smokeTestsInputSchema, smokeTestsResultSchema } from '../../domain/smoke-tests.js';
import type { runSmokeTests } from '../../workflows/run-smoke-tests.js';
import { runWorkflow } from '../run-workflow.js';
import { defineTool } from '../tool-definition.js';
import { READ_ONLY_TOOL } from './read-only-annotations.js';

export const runSmokeTestsTool = defineTool({
  name: 'run_smoke_tests',
  title: 'Run smoke tests',
  description:
    "Probes the deployed environment's health endpoints in parallel: 'basic' checks the API, database and Redis; " +
    "'full' adds the Celery worker and Celery beat. timeout_seconds (30-1800, default 300) bounds the whole run. " +
    'Returns passed and each probe with status, message and duration; any failure makes passed false with the reason.',
  inputSchema: smokeTestsInputSchema,
  outputSchema: smokeTestsResultSchema.extend({ workflow_id: z.string() }),
  annotations: READ_ONLY_TOOL,
  async handler(input, context) {
    const { result, workflowId } = await runWorkflow<typeof runSmokeTests>(
      { workflowType: 'runSmokeTests', kind: 'smoke_tests', args: [input], environment: input.environment },
      context,
    );
    return { ...result, workflow_id: workflowId };
  },
});
