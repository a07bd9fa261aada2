import type { AdvisorySeverity, DependabotAlertInput } from '../control/control-inputs.js';
import { sha1Hex } from '../git/git-objects.js';
import type { GitHubLinks } from '../github/links.js';
import { DEVELOPER, simpleUser } from '../github/payloads/users.js';
import { githubTimestamp } from '../timestamps.js';
import type { DependabotAlert } from './alert-store.js';

const CVSS_BY_SEVERITY: Record<
  AdvisorySeverity,
  { score: number; vector: string; flaw: string; cwe: [string, string] }
> = {
  low: {
    score: 3.7,
    vector: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:N/A:N',
    flaw: 'an open redirect',
    cwe: ['CWE-601', "URL Redirection to Untrusted Site ('Open Redirect')"],
  },
  medium: {
    score: 5.4,
    vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:L/A:N',
    flaw: 'cross-site scripting',
    cwe: ['CWE-79', "Improper Neutralization of Input During Web Page Generation ('Cross-site Scripting')"],
  },
  high: {
    score: 7.5,
    vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H',
    flaw: 'denial of service through uncontrolled resource consumption',
    cwe: ['CWE-400', 'Uncontrolled Resource Consumption'],
  },
  critical: {
    score: 9.8,
    vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
    flaw: 'remote code execution',
    cwe: ['CWE-94', "Improper Control of Generation of Code ('Code Injection')"],
  },
};

// The alphabet GitHub uses for the three groups of a GHSA id.
const GHSA_ALPHABET = '23456789cfghjmpqrvwx';

function ghsaIdFor(seed: string): string {
  const digest = sha1Hex(seed);
  const characters = [...digest.slice(0, 12)].map((hex) => GHSA_ALPHABET[Number.parseInt(hex, 16)] ?? '2');
  return `GHSA-${characters.slice(0, 4).join('')}-${characters.slice(4, 8).join('')}-${characters.slice(8).join('')}`;
}

export function buildDependabotAlert(
  number: number,
  input: DependabotAlertInput,
  links: GitHubLinks,
  now: Date,
): DependabotAlert {
  const profile = CVSS_BY_SEVERITY[input.severity];
  const packageName = input.package ?? 'requests';
  const ecosystem = input.ecosystem ?? 'pip';
  const ghsaId = input.ghsa_id ?? ghsaIdFor(`${ecosystem}/${packageName}#${number}`);
  const cveId = input.cve_id === undefined ? `CVE-${now.getUTCFullYear()}-${31_000 + number}` : input.cve_id;
  const patched = input.first_patched_version === undefined ? '2.32.0' : input.first_patched_version;
  const vulnerability = {
    package: { ecosystem, name: packageName },
    severity: input.severity,
    vulnerable_version_range: input.vulnerable_version_range ?? (patched ? `< ${patched}` : '>= 0'),
    first_patched_version: patched ? { identifier: patched } : null,
  };
  const summary = input.summary ?? `${packageName} is vulnerable to ${profile.flaw}`;
  const cvss = { score: input.cvss_score ?? profile.score, vector_string: profile.vector };
  const timestamp = githubTimestamp(now);
  const state = input.state ?? 'open';
  return {
    number,
    state,
    dependency: {
      package: { ecosystem, name: packageName },
      manifest_path: input.manifest_path ?? 'backend/requirements.txt',
      scope: 'runtime',
      relationship: 'direct',
    },
    security_advisory: {
      ghsa_id: ghsaId,
      cve_id: cveId,
      summary,
      description: input.description ?? `${summary}. Upgrade ${packageName} to ${patched ?? 'a fixed release'}.`,
      vulnerabilities: [vulnerability],
      severity: input.severity,
      classification: 'general',
      cvss,
      cvss_severities: { cvss_v3: cvss, cvss_v4: null },
      epss: { percentage: 0.00045, percentile: 0.1612 },
      cwes: [{ cwe_id: profile.cwe[0], name: profile.cwe[1] }],
      identifiers: [{ type: 'GHSA', value: ghsaId }, ...(cveId ? [{ type: 'CVE' as const, value: cveId }] : [])],
      references: [
        ...(cveId ? [{ url: `https://nvd.nist.gov/vuln/detail/${cveId}` }] : []),
        { url: `https://github.com/advisories/${ghsaId}` },
      ],
      published_at: timestamp,
      updated_at: timestamp,
      withdrawn_at: null,
    },
    security_vulnerability: vulnerability,
    url: links.api(`/dependabot/alerts/${number}`),
    html_url: links.html(`/security/dependabot/${number}`),
    created_at: timestamp,
    updated_at: timestamp,
    dismissed_at: state === 'dismissed' ? timestamp : null,
    dismissed_by: state === 'dismissed' ? simpleUser(links, DEVELOPER) : null,
    dismissed_reason: state === 'dismissed' ? 'tolerable_risk' : null,
    dismissed_comment: null,
    fixed_at: state === 'fixed' ? timestamp : null,
    auto_dismissed_at: state === 'auto_dismissed' ? timestamp : null,
    assignees: [],
  };
}
