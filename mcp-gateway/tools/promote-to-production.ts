import { hashToken, INVALID_APPROVAL_TOKEN_MESSAGE } from '../../domain/approval-token.js';
import { SYSTEM_USER } from '../../domain/audit.js';
import { newDeploymentRequest } from '../../domain/deployment.js';
import { promoteInputSchema, promoteResultSchema } from '../../domain/deployment-tools.js';
import { isOneOfSecrets } from '../../domain/secret-match.js';
import { estimateDurationMinutes, planDeploymentDryRun, startDeployment } from '../deployment-client.js';
import { approverFields, requestedBy } from '../oauth/requested-by.js';
import { defineTool, type ToolContext } from '../tool-definition.js';
import { DEPLOYING_TOOL, REQUEST_ID_HELP } from './deployment-annotations.js';

/** Refuses a bad token before anything starts, with the contract's message and one audit line (hash only). */
async function verifyTokenUpFront(token: string, stagingVersion: string, context: ToolContext): Promise<string> {
  const tokenHash = hashToken(token);
  if (isOneOfSecrets(token, context.config.adminTokens)) return tokenHash;
  await context.audit.append({
    timestamp: new Date().toISOString(),
    operation: 'promote_to_production',
    user: tokenHash,
    environment: 'production',
    success: false,
    dry_run: false,
    details: { staging_version: stagingVersion, error: INVALID_APPROVAL_TOKEN_MESSAGE },
  });
  throw new Error(INVALID_APPROVAL_TOKEN_MESSAGE);
}

function approvalHint(deploymentId: string): string {
  return (
    `Waiting for approval: call approve_deployment, or run temporal workflow signal --workflow-id ${deploymentId} ` +
    `--name approve --input '{"token":"<admin token>","approver":"<your name>"}' --codec-endpoint <codec server URL> ` +
    "(the codec encrypts the token in the history), or use the Web UI's Signal form"
  );
}

const FOUR_EYES_RULE = 'Four-eyes rule';

/** Why a token given with the call did not approve (four-eyes: the requester's own), from the deployment's log. */
function refusedApprovalNote(approval: object | undefined, logs: readonly string[]): string {
  const line = approval ? logs.findLast((each) => each.includes(`approval refused: ${FOUR_EYES_RULE}`)) : undefined;
  if (!line) return '';
  const why = line.slice(line.indexOf(FOUR_EYES_RULE)).replace(/; still waiting$/, '');
  return `The approval_token given did not approve it: ${why}. `;
}

export const promoteToProductionTool = defineTool({
  name: 'promote_to_production',
  title: 'Promote a version to production',
  description:
    'Promotes a version (git ref) that runs on staging to production, as a durable deployment: verifies the ref, runs ' +
    "the full smoke tests on staging (unless skip_smoke_tests), waits for a human's approval, records a GitHub " +
    'deployment, dispatches cd.yml, waits for the run, checks production runs the commit and passes its smoke tests, ' +
    'and rolls back automatically to the previous version if the run or the checks fail. With approval_token (an ' +
    'admin token) it is approved at once; without it, it waits (default 24 h) for approve_deployment or ' +
    'reject_deployment. Returns at once with deployment_id; follow it with get_deployment_status. One deployment per ' +
    'environment at a time. dry_run returns the plan without changing anything.' +
    REQUEST_ID_HELP,
  inputSchema: promoteInputSchema,
  outputSchema: promoteResultSchema,
  annotations: DEPLOYING_TOOL,
  async handler(input, context) {
    const tokenHash = input.approval_token
      ? await verifyTokenUpFront(input.approval_token, input.staging_version, context)
      : null;
    const request = newDeploymentRequest({
      kind: 'promotion',
      environment: 'production',
      version: input.staging_version,
      skipSmokeTests: input.skip_smoke_tests,
      // A signed-in caller is named as who asked; the token's hash stays in the approval.
      ...requestedBy(context, tokenHash ?? SYSTEM_USER),
      approvalTimeoutSeconds: context.config.approvalTimeoutSeconds,
      bake: context.config.bake.production,
      ...(context.config.canary.production ? { canary: context.config.canary.production } : {}),
    });
    const estimate = await estimateDurationMinutes(context.temporal, 'production', 'promotion');
    if (input.dry_run) {
      const { plan, workflowId } = await planDeploymentDryRun(request, context);
      return {
        status: 'queued' as const,
        deployment_id: workflowId,
        staging_version: input.staging_version,
        production_version: plan.versions.from_version,
        initiated_at: new Date().toISOString(),
        estimated_duration_minutes: estimate,
        approval: {
          required: true,
          state: input.approval_token ? ('approved' as const) : ('waiting' as const),
          decided_by: null,
          token_hash: tokenHash,
          reason: null,
          expires_at: null,
          refused_attempts: 0,
        },
        dry_run: true,
        plan,
        message: `Dry run: nothing was held, recorded or dispatched. Plan: ${plan.steps.join('; ')}`,
      };
    }
    const approval = input.approval_token
      ? { token: input.approval_token, ...approverFields(context, undefined) }
      : undefined;
    const state = await startDeployment(request, context, { approval, requestId: input.request_id });
    return {
      status: state.status,
      deployment_id: state.deployment_id,
      staging_version: input.staging_version,
      production_version: state.versions?.from_version ?? null,
      initiated_at: state.initiated_at,
      estimated_duration_minutes: estimate,
      approval: state.approval,
      dry_run: false,
      plan: null,
      // Said from the deployment's own answer: a token given with the call was checked and decided before it.
      message:
        state.approval.state === 'approved'
          ? `Approved with token ${state.approval.token_hash}; follow it with get_deployment_status`
          : `${refusedApprovalNote(approval, state.logs)}${approvalHint(state.deployment_id)}`,
    };
  },
});
