import { SYSTEM_USER } from '../../domain/audit.js';
import { newDeploymentRequest } from '../../domain/deployment.js';
import { rollbackInputSchema, rollbackResultSchema } from '../../domain/deployment-tools.js';
import { planDeploymentDryRun, startDeployment } from '../deployment-client.js';
import { requestedBy } from '../oauth/requested-by.js';
import { defineTool } from '../tool-definition.js';
import { DEPLOYING_TOOL, REQUEST_ID_HELP } from './deployment-annotations.js';

export const rollbackDeploymentTool = defineTool({
  name: 'rollback_deployment',
  title: 'Roll back an environment',
  description:
    'Rolls an environment back from the version it runs (its newest successful GitHub deployment) to target_version, or ' +
    'by default to the most recent earlier successful deployment. reason is required and audited. Returns at once ' +
    'with status rolling_back, from_version, to_version and rollback_id; the rollback then runs as a deployment ' +
    '(record, cd.yml run, version and smoke checks) that get_deployment_status follows. Refused with a clear error ' +
    'when there is nothing to roll back to or another deployment holds the environment. dry_run returns the plan only.' +
    REQUEST_ID_HELP,
  inputSchema: rollbackInputSchema,
  outputSchema: rollbackResultSchema,
  annotations: DEPLOYING_TOOL,
  async handler(input, context) {
    const request = newDeploymentRequest({
      kind: 'rollback',
      environment: input.environment,
      version: input.target_version ?? null,
      // An emergency rollback ships a version that already passed its tests.
      skipTests: true,
      ...requestedBy(context, SYSTEM_USER),
      approvalTimeoutSeconds: context.config.approvalTimeoutSeconds,
      reason: input.reason,
    });
    if (input.dry_run) {
      const { plan, workflowId } = await planDeploymentDryRun(request, context);
      return {
        status: 'rolling_back' as const,
        environment: input.environment,
        from_version: plan.versions.from_version,
        to_version: plan.versions.to_version,
        rollback_id: workflowId,
        initiated_at: new Date().toISOString(),
        reason: input.reason,
        dry_run: true,
        plan,
      };
    }
    const state = await startDeployment(request, context, { requestId: input.request_id });
    return {
      status: 'rolling_back' as const,
      environment: input.environment,
      from_version: state.versions?.from_version ?? null,
      to_version: state.versions?.to_version ?? state.version ?? '(being determined)',
      rollback_id: state.deployment_id,
      initiated_at: state.initiated_at,
      reason: input.reason,
      dry_run: false,
      plan: null,
    };
  },
});
