import { approveDeploymentTool } from './approve-deployment.js';
import { deployToStagingTool } from './deploy-to-staging.js';
import { getDeploymentMetricsTool } from './get-deployment-metrics.js';
import { getDeploymentStatusTool } from './get-deployment-status.js';
import { listDeploymentsTool } from './list-deployments.js';
import { promoteToProductionTool } from './promote-to-production.js';
import { rejectDeploymentTool } from './reject-deployment.js';
import { rollbackDeploymentTool } from './rollback-deployment.js';
import { runSecurityScanTool } from './run-security-scan.js';
import { runSmokeTestsTool } from './run-smoke-tests.js';
import { validateDeploymentTool } from './validate-deployment.js';

export const TOOLS = [
  validateDeploymentTool,
  runSecurityScanTool,
  runSmokeTestsTool,
  deployToStagingTool,
  promoteToProductionTool,
  rollbackDeploymentTool,
  getDeploymentStatusTool,
  listDeploymentsTool,
  approveDeploymentTool,
  rejectDeploymentTool,
  getDeploymentMetricsTool,
];
