import { validateDeploymentInputSchema, validationResultSchema } from '../../domain/validation.js';
import type { validateDeployment } from '../../workflows/validate-deployment.js';
import { WORKFLOW_TYPES } from '../../workflows/workflow-types.js';
import { workflowTool } from '../workflow-tool.js';
import { READ_ONLY_TOOL } from './read-only-annotations.js';

export const validateDeploymentTool = workflowTool<typeof validateDeployment>()({
  name: 'validate_deployment',
  title: 'Validate a deployment',
  description:
    'Validates a git ref (branch, tag or SHA) for deployment to staging or production before anything is deployed: ' +
    'the ref resolves, CI passed, security scan, migrations are safe against what the environment runs, the GitHub ' +
    "environment's secrets and variables exist, container images were built. Independent checks run in parallel. " +
    'Returns valid, every check with its status and duration, blockers and warnings. Read-only; dry_run marks the result as a dry run.',
  inputSchema: validateDeploymentInputSchema,
  resultSchema: validationResultSchema,
  annotations: READ_ONLY_TOOL,
  workflowType: WORKFLOW_TYPES.validateDeployment,
  kind: 'validation',
  searchAttributes: (input) => ({ environment: input.environment, version: input.git_ref }),
});
