import { runSecurityScanTool } from './run-security-scan.js';
import { runSmokeTestsTool } from './run-smoke-tests.js';
import { validateDeploymentTool } from './validate-deployment.js';

export const TOOLS = [validateDeploymentTool, runSecurityScanTool, runSmokeTestsTool];
