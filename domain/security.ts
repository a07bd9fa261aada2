import { z } from 'zod';
import { gitRefSchema } from './git-ref.js';
import { SEVERITIES } from './severity-policy.js';

export {
  cvssFloorFor,
  DEFAULT_SEVERITY_THRESHOLDS,
  SEVERITIES,
  type Severity,
  type SeverityThresholds,
  scanBlockers,
  summarizeSeverities,
} from './severity-policy.js';

export const vulnerabilitySchema = z.object({
  id: z.string(),
  title: z.string(),
  severity: z.enum(SEVERITIES),
  package: z.string(),
  affected_versions: z.string(),
  fixed_version: z.string(),
  description: z.string(),
  cvss_score: z.number(),
  references: z.array(z.string()),
});
export type Vulnerability = z.infer<typeof vulnerabilitySchema>;

export const severitySummarySchema = z.object({
  critical: z.number().int(),
  high: z.number().int(),
  medium: z.number().int(),
  low: z.number().int(),
  info: z.number().int(),
});
export type SeveritySummary = z.infer<typeof severitySummarySchema>;

export const SCAN_SOURCES = [
  'dependabot_alerts',
  'code_scanning_alerts',
  'secret_scanning_alerts',
  'secret_scan',
] as const;
export type ScanSourceName = (typeof SCAN_SOURCES)[number];

/** What one source of findings said; `unavailable` is never mistaken for clean. */
export const scanSourceSchema = z.object({
  source: z.enum(SCAN_SOURCES),
  status: z.enum(['scanned', 'unavailable', 'skipped']),
  message: z.string(),
  findings: z.number().int(),
  duration_ms: z.number().int(),
});
export type ScanSource = z.infer<typeof scanSourceSchema>;
export interface ScanSourceReport extends ScanSource {
  vulnerabilities: Vulnerability[];
  warnings: string[];
}

export const securityScanInputSchema = z.strictObject({
  git_ref: gitRefSchema('git_ref'),
  scan_dependencies: z.boolean().default(true),
  scan_code: z.boolean().default(true),
  scan_secrets: z.boolean().default(true),
  dry_run: z.boolean().default(false),
});
export type SecurityScanInput = z.infer<typeof securityScanInputSchema>;

export const securityScanResultSchema = z.object({
  git_ref: z.string(),
  vulnerabilities: z.array(vulnerabilitySchema),
  severity_summary: severitySummarySchema,
  passed: z.boolean(),
  scan_duration_ms: z.number().int(),
  scanned_at: z.string(),
  blockers: z.array(z.string()),
  warnings: z.array(z.string()),
  sources: z.array(scanSourceSchema),
  commit_sha: z.string().nullable(),
  dry_run: z.boolean(),
});
export type SecurityScanResult = z.infer<typeof securityScanResultSchema>;
