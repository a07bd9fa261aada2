import { z } from 'zod';
import { validateDeploymentInputSchema, validationResultSchema } from '../../domain/validation.js';
import type { validateDeployment } from '../../workflows/validate-deployment.js';
import { runWorkflow } from '../run-workflow.js';
import { defineTool } from '../tool-definition.js';
import { READ_ONLY_TOOL } from './read-only-annotations.js';

export const validateDeploymentTool = defineTool({
  name: 'validate_deployment',
  title: 'Validate a deployment',
  description:
    'Validates a git ref (branch, tag or SHA) for deployment to staging or production before anything is deployed: ' +
    'the ref resolves, CI passed, security scan, migrations are safe against what the environment runs, the GitHub ' +
    "environment's secrets and variables exist, container images were built. Independent checks run in parallel. " +
    'Returns valid, every check with its status and duration, blockers and warnings. Read-only; dry_run marks the result as a dry run.',
  inputSchema: validateDeploymentInputSchema,
  outputSchema: validationResultSchema.extend({ workflow_id: z.string() }),
  annotations: READ_ONLY_TOOL,
  async handler(input, context) {
    const { result, workflowId } = await runWorkflow<typeof validateDeployment>(
      {
        workflowType: 'validateDeployment',
        kind: 'validation',
        args: [input],
        environment: input.environment,
        version: input.git_ref,
      },
      context,
    );
    return { ...result, workflow_id: workflowId };
  },
});
