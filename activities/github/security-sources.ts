import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { findSecrets, isAllowlisted, type SecretFinding } from '../../domain/secret-rules.js';
import {
  cvssFloorFor,
  type ScanSourceName,
  type ScanSourceReport,
  type Severity,
  type Vulnerability,
} from '../../domain/security.js';
import { elapsedMs } from '../elapsed.js';
import type { GitHubRepo } from './client.js';
import { hasStatus, isHttpError, rateLimitOf, withGitHubErrors } from './errors.js';
import { visitCommitFiles } from './repository-archive.js';

export interface SecretScanSettings {
  allowlist: string[];
}

const MAX_FILE_BYTES = 1024 * 1024;
const MAX_NAMED_FILES = 20;

const LABELS: Record<ScanSourceName, string> = {
  dependabot_alerts: 'Dependabot alerts',
  code_scanning_alerts: 'Code scanning alerts',
  secret_scanning_alerts: 'Secret scanning alerts',
  secret_scan: 'Secret scan of the files',
};

/**
 * Runs one source. A source GitHub refuses (feature off, no access) is reported `unavailable` with GitHub's words,
 * never as clean; anything else (5xx, rate limits) goes to the activity's retry policy.
 */
async function fromSource(
  source: ScanSourceName,
  read: () => Promise<{ vulnerabilities: Vulnerability[]; note?: string; warnings?: string[] }>,
): Promise<ScanSourceReport> {
  const startedAt = performance.now();
  try {
    const {
      vulnerabilities,
      note,
      warnings = [],
    } = await withGitHubErrors(`reading ${LABELS[source]}`, async () => {
      try {
        return await read();
      } catch (error) {
        if (hasStatus(error, 403, 404) && isHttpError(error) && rateLimitOf(error) === null) {
          throw new SourceUnavailable(`${LABELS[source]} unavailable (GitHub ${error.status}: ${error.message})`);
        }
        throw error;
      }
    });
    const found = `${vulnerabilities.length} finding(s)`;
    return {
      source,
      status: 'scanned',
      message: `${LABELS[source]}: ${found}${note ? `; ${note}` : ''}`,
      findings: vulnerabilities.length,
      duration_ms: elapsedMs(startedAt),
      vulnerabilities,
      warnings,
    };
  } catch (error) {
    if (!(error instanceof SourceUnavailable)) throw error;
    return {
      source,
      status: 'unavailable',
      message: error.message,
      findings: 0,
      duration_ms: elapsedMs(startedAt),
      vulnerabilities: [],
      warnings: [`${error.message}: these findings were not checked`],
    };
  }
}

class SourceUnavailable extends Error {}

function asSeverity(value: string | null | undefined, fallback: Severity): Severity {
  if (value === 'critical' || value === 'high' || value === 'medium' || value === 'low') return value;
  return fallback;
}

// Code scanning's non-security rules grade by their own scale; note is informational.
function codeRuleSeverity(rule: { severity?: string | null; security_severity_level?: string | null }): Severity {
  if (rule.security_severity_level) return asSeverity(rule.security_severity_level, 'medium');
  return ({ error: 'medium', warning: 'low' } as Record<string, Severity>)[rule.severity ?? ''] ?? 'info';
}

function fingerprint(secret: string): string {
  return createHash('sha256').update(secret).digest('hex').slice(0, 12);
}

/** Paths for a warning: all of them when few, else the first ones and how many more. */
function namedList(paths: string[]): string {
  const named = paths.slice(0, MAX_NAMED_FILES).join(', ');
  return paths.length > MAX_NAMED_FILES ? `${named} and ${paths.length - MAX_NAMED_FILES} more` : named;
}

export function securitySourceActivities(github: GitHubRepo, secretScan: SecretScanSettings) {
  const repo = { owner: github.owner, repo: github.repo };
  return {
    async readDependabotAlerts(): Promise<ScanSourceReport> {
      return fromSource('dependabot_alerts', async () => {
        const alerts = await github.octokit.paginate(github.octokit.rest.dependabot.listAlertsForRepo, {
          ...repo,
          state: 'open',
          per_page: 100,
        });
        const vulnerabilities = alerts.map((alert): Vulnerability => {
          const advisory = alert.security_advisory;
          const severity = asSeverity(advisory.severity, 'medium');
          return {
            id: advisory.ghsa_id,
            title: advisory.summary,
            severity,
            package: `${alert.dependency.package?.ecosystem ?? 'unknown'}:${alert.dependency.package?.name ?? 'unknown'}`,
            affected_versions: alert.security_vulnerability.vulnerable_version_range,
            fixed_version: alert.security_vulnerability.first_patched_version?.identifier ?? '',
            description: advisory.description,
            cvss_score: advisory.cvss?.score ?? cvssFloorFor(severity),
            references: [alert.html_url, ...advisory.references.map((reference) => reference.url)],
          };
        });
        return { vulnerabilities };
      });
    },

    async readCodeScanningAlerts(fullRef: string | null): Promise<ScanSourceReport> {
      return fromSource('code_scanning_alerts', async () => {
        const alerts = await github.octokit.paginate(github.octokit.rest.codeScanning.listAlertsForRepo, {
          ...repo,
          state: 'open',
          per_page: 100,
          ...(fullRef ? { ref: fullRef } : {}),
        });
        const vulnerabilities = alerts.map((alert): Vulnerability => {
          const severity = codeRuleSeverity(alert.rule);
          const location = alert.most_recent_instance.location;
          return {
            id: `code-scanning-${alert.number}`,
            title: alert.rule.description ?? alert.rule.name ?? 'Code scanning alert',
            severity,
            package: location?.path ? `${location.path}:${location.start_line ?? 0}` : 'source code',
            affected_versions: alert.most_recent_instance.ref ?? '',
            fixed_version: '',
            description: alert.most_recent_instance.message?.text ?? alert.rule.description ?? '',
            cvss_score: cvssFloorFor(severity),
            references: [alert.html_url],
          };
        });
        // Without a branch or tag, GitHub reports the default branch's alerts.
        return {
          vulnerabilities,
          note: fullRef ? `for ${fullRef}` : 'for the default branch (a bare SHA has none of its own)',
        };
      });
    },

    async readSecretScanningAlerts(): Promise<ScanSourceReport> {
      return fromSource('secret_scanning_alerts', async () => {
        const alerts = await github.octokit.paginate(github.octokit.rest.secretScanning.listAlertsForRepo, {
          ...repo,
          state: 'open',
          per_page: 100,
        });
        // The alert carries the secret itself: only its type and a fingerprint leave this function.
        const vulnerabilities = alerts.map(
          (alert): Vulnerability => ({
            id: `secret-scanning-${alert.number}`,
            title: `Leaked ${alert.secret_type_display_name ?? alert.secret_type ?? 'secret'}`,
            severity: 'critical',
            package: 'repository secrets',
            affected_versions: '',
            fixed_version: '',
            description: `An open secret-scanning alert (fingerprint ${fingerprint(alert.secret ?? '')}): revoke the credential, then close the alert`,
            cvss_score: cvssFloorFor('critical'),
            references: alert.html_url ? [alert.html_url] : [],
          }),
        );
        return { vulnerabilities };
      });
    },

    /**
     * The product's own scan of every file at the commit, for the credential formats in domain/secret-rules: one
     * request (the tarball) whatever the repository's size. Files it does not read are named in a warning.
     */
    async scanFilesForSecrets(sha: string): Promise<ScanSourceReport> {
      return fromSource('secret_scan', async () => {
        const tally = { read: 0, allowlisted: 0, binary: 0, tooLarge: [] as string[] };
        const findings: SecretFinding[] = [];
        await visitCommitFiles(github, sha, {
          wants(file) {
            if (isAllowlisted(file.path, secretScan.allowlist)) tally.allowlisted += 1;
            else if (file.size > MAX_FILE_BYTES) tally.tooLarge.push(file.path);
            else return true;
            return false;
          },
          read(file, content) {
            tally.read += 1;
            // A NUL byte marks a binary file, as git itself decides; its bytes are no text to match rules on.
            if (content.includes(0)) tally.binary += 1;
            else findings.push(...findSecrets(file.path, content.toString('utf8')));
          },
        });
        const vulnerabilities = findings.map(
          (finding): Vulnerability => ({
            id: `secret-scan:${finding.rule.id}:${finding.path}:${finding.line}`,
            title: `${finding.rule.title} in ${finding.path}`,
            severity: finding.rule.severity,
            package: `${finding.path}:${finding.line}`,
            affected_versions: sha,
            fixed_version: '',
            description: `A ${finding.rule.title} (fingerprint ${fingerprint(finding.match)}) is committed at line ${finding.line}; revoke it and remove it from the history`,
            cvss_score: cvssFloorFor(finding.rule.severity),
            references: [],
          }),
        );
        const warnings =
          tally.tooLarge.length > 0
            ? [
                `Secret scan did not read ${tally.tooLarge.length} file(s) over ${MAX_FILE_BYTES / 1024 / 1024} MiB: ${namedList(tally.tooLarge)}`,
              ]
            : [];
        const skipped = [
          tally.binary > 0 ? `${tally.binary} binary` : '',
          tally.allowlisted > 0 ? `${tally.allowlisted} allowlisted (SECRET_SCAN_ALLOWLIST) not read` : '',
        ].filter((part) => part.length > 0);
        return {
          vulnerabilities,
          note: `${tally.read} file(s) read${skipped.length > 0 ? ` (${skipped.join(', ')})` : ''}`,
          warnings,
        };
      });
    },
  };
}
