import { z } from 'zod';
import { gitRefSchema } from './git-ref.js';

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

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

export interface SeverityThresholds {
  /** The most findings of that severity that still pass. */
  maxCritical: number;
  maxHigh: number;
}
export const DEFAULT_SEVERITY_THRESHOLDS: SeverityThresholds = { maxCritical: 0, maxHigh: 3 };

export function summarizeSeverities(vulnerabilities: readonly Vulnerability[]): SeveritySummary {
  const summary: SeveritySummary = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
  for (const vulnerability of vulnerabilities) summary[vulnerability.severity] += 1;
  return summary;
}

function plural(count: number, word: string): string {
  return `${count} ${word} ${count === 1 ? 'vulnerability' : 'vulnerabilities'}`;
}

export function scanBlockers(summary: SeveritySummary, thresholds: SeverityThresholds): string[] {
  const blockers: string[] = [];
  if (summary.critical > thresholds.maxCritical) {
    blockers.push(`${plural(summary.critical, 'critical')} found (at most ${thresholds.maxCritical} allowed)`);
  }
  if (summary.high > thresholds.maxHigh) {
    blockers.push(`${plural(summary.high, 'high')} found (at most ${thresholds.maxHigh} allowed)`);
  }
  return blockers;
}

/** CVSS v3 bands, used where a source gives a severity but no score. */
export function cvssFloorFor(severity: Severity): number {
  return { critical: 9.0, high: 7.0, medium: 4.0, low: 0.1, info: 0 }[severity];
}
