import type { SeveritySummary, Vulnerability } from './security.js';

// The scan's severity policy without the schemas, so the workflow bundle needs no zod.
export type {
  ScanSourceName,
  ScanSourceReport,
  SecurityScanInput,
  SecurityScanResult,
  SeveritySummary,
  Vulnerability,
} from './security.js';

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

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
