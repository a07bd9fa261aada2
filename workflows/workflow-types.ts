import type * as workflows from './index.js';

/**
 * Every workflow's type name, for callers outside the workflow sandbox (the gateway, tests, scripts) that must not load
 * workflow code. The compiler holds each name to the function the bundle exports under it, and a workflow's type is
 * its function's name, so a renamed or missing workflow fails the build instead of a call at run time.
 */
export const WORKFLOW_TYPES: { readonly [Name in keyof typeof workflows]: Name } = {
  deliveryLedger: 'deliveryLedger',
  deployment: 'deployment',
  environmentLock: 'environmentLock',
  planDeployment: 'planDeployment',
  readCommitTimes: 'readCommitTimes',
  runSecurityScan: 'runSecurityScan',
  runSmokeTests: 'runSmokeTests',
  validateDeployment: 'validateDeployment',
};

export type WorkflowType = (typeof WORKFLOW_TYPES)[keyof typeof WORKFLOW_TYPES];
