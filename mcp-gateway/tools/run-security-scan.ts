import { securityScanInputSchema, securityScanResultSchema } from '../../domain/security.js';
import type { runSecurityScan } from '../../workflows/run-security-scan.js';
import { WORKFLOW_TYPES } from '../../workflows/workflow-types.js';
import { workflowTool } from '../workflow-tool.js';
import { READ_ONLY_TOOL } from './read-only-annotations.js';

export const runSecurityScanTool = workflowTool<typeof runSecurityScan>()({
  name: 'run_security_scan',
  title: 'Run a security scan',
  description:
    "Scans a git ref: the repository's open Dependabot alerts (scan_dependencies), code-scanning/SAST alerts for the ref " +
    "(scan_code), secret-scanning alerts and the product's own secret scan of every file at the ref (scan_secrets). " +
    'Returns every vulnerability, counts for critical/high/medium/low/info, passed, and blockers (any critical, or more ' +
    'than 3 high, by default). A source GitHub refuses is reported unavailable with a warning, never as clean.',
  inputSchema: securityScanInputSchema,
  resultSchema: securityScanResultSchema,
  annotations: READ_ONLY_TOOL,
  workflowType: WORKFLOW_TYPES.runSecurityScan,
  kind: 'security_scan',
  searchAttributes: (input) => ({ version: input.git_ref }),
});
