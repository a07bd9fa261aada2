import { SYSTEM_USER } from '../../domain/audit.js';
import { newDeploymentRequest } from '../../domain/deployment.js';
import { deployToStagingInputSchema, deployToStagingResultSchema } from '../../domain/deployment-tools.js';
import { estimateDurationMinutes, planDeploymentDryRun, startDeployment } from '../deployment-client.js';
import { requestedBy } from '../oauth/requested-by.js';
import { defineTool } from '../tool-definition.js';
import { DEPLOYING_TOOL, REQUEST_ID_HELP } from './deployment-annotations.js';

export const deployToStagingTool = defineTool({
  name: 'deploy_to_staging',
  title: 'Deploy a version to staging',
  description:
    'Deploys a branch or tag to staging as a durable deployment (no approval needed): verifies the ref, records a ' +
    'GitHub deployment, dispatches cd.yml (environment=staging), waits for the run, checks staging runs the commit ' +
    'and passes the full smoke tests (unless skip_smoke_tests), and rolls back automatically to the previous version ' +
    'on failure. skip_tests is passed to cd.yml (not recommended). Returns at once with deployment_id; follow it with ' +
    'get_deployment_status. One deployment per environment at a time. dry_run returns the plan without changing anything.' +
    REQUEST_ID_HELP,
  inputSchema: deployToStagingInputSchema,
  outputSchema: deployToStagingResultSchema,
  annotations: DEPLOYING_TOOL,
  async handler(input, context) {
    const request = newDeploymentRequest({
      kind: 'deploy',
      environment: 'staging',
      version: input.git_ref,
      skipSmokeTests: input.skip_smoke_tests,
      skipTests: input.skip_tests,
      ...requestedBy(context, SYSTEM_USER),
      approvalTimeoutSeconds: context.config.approvalTimeoutSeconds,
      bake: context.config.bake.staging,
      ...(context.config.canary.staging ? { canary: context.config.canary.staging } : {}),
    });
    const estimate = await estimateDurationMinutes(context.temporal, 'staging', 'deploy');
    if (input.dry_run) {
      const { plan, workflowId } = await planDeploymentDryRun(request, context);
      return {
        status: 'queued' as const,
        deployment_id: workflowId,
        git_ref: input.git_ref,
        from_version: plan.versions.from_version,
        initiated_at: new Date().toISOString(),
        estimated_duration_minutes: estimate,
        dry_run: true,
        plan,
      };
    }
    const state = await startDeployment(request, context, { requestId: input.request_id });
    return {
      status: state.status,
      deployment_id: state.deployment_id,
      git_ref: input.git_ref,
      from_version: state.versions?.from_version ?? null,
      initiated_at: state.initiated_at,
      estimated_duration_minutes: estimate,
      dry_run: false,
      plan: null,
    };
  },
});
