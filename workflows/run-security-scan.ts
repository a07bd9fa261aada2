import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { failureReason } from '../domain/failure-reason.js';
import { type ResolvedRef, unresolvedRefMessage } from '../domain/resolved-ref.js';
import {
  type ScanSourceName,
  type ScanSourceReport,
  SEVERITIES,
  type SecurityScanInput,
  type SecurityScanResult,
  scanBlockers,
  summarizeSeverities,
} from '../domain/severity-policy.js';
import { GITHUB_OPTIONS } from './activity-options.js';
import { auditToolRun } from './audit-trail.js';
import { trackProgress } from './progress.js';

const github = proxyActivities<Activities>(GITHUB_OPTIONS);
const local = proxyLocalActivities<Activities>({ startToCloseTimeout: '10 seconds' });

function skippedSource(source: ScanSourceName, flag: string): ScanSourceReport {
  const message = `${source} skipped (${flag}=false) - not recommended`;
  return { source, status: 'skipped', message, findings: 0, duration_ms: 0, vulnerabilities: [], warnings: [message] };
}

/**
 * Dependency alerts, code scanning, secret scanning and the product's own secret scan of the ref's files, at once.
 * `resolved` is given when a validation already pinned the ref, so the scan judges the very same commit.
 */
export async function runSecurityScan(input: SecurityScanInput, resolved?: ResolvedRef): Promise<SecurityScanResult> {
  const startedAt = Date.now();
  const progress = trackProgress(5, 'resolving the git ref');
  const failures: string[] = [];
  const ref =
    resolved ??
    (await github.resolveGitRef(input.git_ref).catch((error: unknown) => {
      failures.push(`git_ref could not be resolved: ${failureReason(error)}`);
      return null;
    }));
  progress.completed('git ref');
  const guarded = (source: ScanSourceName, read: () => Promise<ScanSourceReport>) =>
    read()
      .catch((error: unknown): ScanSourceReport => {
        const reason = `${source} could not be read: ${failureReason(error)}`;
        failures.push(reason);
        return {
          source,
          status: 'unavailable',
          message: reason,
          findings: 0,
          duration_ms: 0,
          vulnerabilities: [],
          warnings: [],
        };
      })
      .finally(() => progress.completed(source));
  const sources = ref
    ? await Promise.all([
        input.scan_dependencies
          ? guarded('dependabot_alerts', () => github.readDependabotAlerts())
          : skippedSource('dependabot_alerts', 'scan_dependencies'),
        input.scan_code
          ? guarded('code_scanning_alerts', () => github.readCodeScanningAlerts(ref.fullRef))
          : skippedSource('code_scanning_alerts', 'scan_code'),
        input.scan_secrets
          ? guarded('secret_scanning_alerts', () => github.readSecretScanningAlerts())
          : skippedSource('secret_scanning_alerts', 'scan_secrets'),
        input.scan_secrets
          ? guarded('secret_scan', () => github.scanFilesForSecrets(ref.sha))
          : skippedSource('secret_scan', 'scan_secrets'),
      ])
    : [];
  const vulnerabilities = sources
    .flatMap((source) => source.vulnerabilities)
    .sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity));
  const severity_summary = summarizeSeverities(vulnerabilities);
  const blockers = ref
    ? [...scanBlockers(severity_summary, await local.securityThresholds()), ...failures]
    : failures.length > 0
      ? failures
      : [unresolvedRefMessage(input.git_ref)];
  const finishedAt = Date.now();
  await auditToolRun('run_security_scan', {
    environment: null,
    success: blockers.length === 0,
    dry_run: input.dry_run,
    details: { git_ref: input.git_ref, commit_sha: ref?.sha ?? null, severity_summary, blockers },
  });
  return {
    git_ref: input.git_ref,
    commit_sha: ref?.sha ?? null,
    vulnerabilities,
    severity_summary,
    passed: blockers.length === 0,
    scan_duration_ms: finishedAt - startedAt,
    scanned_at: new Date(finishedAt).toISOString(),
    blockers,
    warnings: sources.flatMap((source) => source.warnings),
    sources: sources.map(({ vulnerabilities: _, warnings: __, ...source }) => source),
    dry_run: input.dry_run,
  };
}
