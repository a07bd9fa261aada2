import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * The custom search attributes every workflow of the product carries, so the Web UI and `temporal workflow list`
 * can filter by them. They are never encrypted, so nothing secret may go in them.
 */
export const SEARCH_ATTRIBUTES = {
  environment: defineSearchAttributeKey('DeploymentEnvironment', SearchAttributeType.KEYWORD),
  version: defineSearchAttributeKey('DeploymentVersion', SearchAttributeType.KEYWORD),
  kind: defineSearchAttributeKey('DeploymentKind', SearchAttributeType.KEYWORD),
  status: defineSearchAttributeKey('DeploymentStatus', SearchAttributeType.KEYWORD),
} as const;

export const WORKFLOW_KINDS = [
  'validation',
  'security_scan',
  'smoke_tests',
  'deployment_plan',
  'commit_times',
  'delivery_ledger',
] as const;
export type WorkflowKind = (typeof WORKFLOW_KINDS)[number];
