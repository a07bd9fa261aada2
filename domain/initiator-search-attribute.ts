import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * The subject of the signed-in person who started a deployment, for "my deployments" (list_deployments
 * `initiated_by_me`, and `DeploymentInitiator = '<sub>'` in the Web UI). Set only with an identity provider; search
 * attributes are never encrypted, so it holds the token's `sub`, never a token.
 */
export const DEPLOYMENT_INITIATOR = defineSearchAttributeKey('DeploymentInitiator', SearchAttributeType.KEYWORD);
