import type { AdvisorySeverity, CodeScanningAlertInput, RuleSeverity } from '../control/control-inputs.js';
import type { GitHubLinks } from '../github/links.js';
import { githubTimestamp } from '../timestamps.js';
import type { CodeScanningAlert } from './alert-store.js';

interface RuleProfile {
  id: string;
  description: string;
  message: string;
  tags: string[];
}

// Real CodeQL Python queries, so defaults read like what the product meets on GitHub.
const SECURITY_RULES: Record<AdvisorySeverity, RuleProfile> = {
  critical: {
    id: 'py/command-line-injection',
    description: 'Uncontrolled command line',
    message: 'This command line depends on a user-provided value.',
    tags: ['correctness', 'external/cwe/cwe-078', 'external/cwe/cwe-088', 'security'],
  },
  high: {
    id: 'py/sql-injection',
    description: 'SQL query built from user-controlled sources',
    message: 'This SQL query depends on a user-provided value.',
    tags: ['external/cwe/cwe-089', 'security'],
  },
  medium: {
    id: 'py/clear-text-logging-sensitive-data',
    description: 'Clear-text logging of sensitive information',
    message: 'This expression logs sensitive data (password) as clear text.',
    tags: ['external/cwe/cwe-312', 'external/cwe/cwe-359', 'external/cwe/cwe-532', 'security'],
  },
  low: {
    id: 'py/insecure-cookie',
    description: 'Failure to use secure cookies',
    message: 'Cookie is added without the Secure attribute properly set.',
    tags: ['external/cwe/cwe-614', 'security'],
  },
};

const QUALITY_RULES: Record<RuleSeverity, RuleProfile> = {
  none: {
    id: 'py/commented-out-code',
    description: 'Commented-out code',
    message: 'This comment appears to contain commented-out code.',
    tags: ['maintainability', 'readability'],
  },
  note: {
    id: 'py/unused-import',
    description: 'Unused import',
    message: "Import of 'os' is not used.",
    tags: ['maintainability', 'useless-code'],
  },
  warning: {
    id: 'py/unreachable-statement',
    description: 'Unreachable code',
    message: 'This statement is unreachable.',
    tags: ['maintainability', 'useless-code'],
  },
  error: {
    id: 'py/call-to-non-callable',
    description: 'Non-callable called',
    message: 'Call to a non-callable of builtin-class str.',
    tags: ['correctness', 'reliability'],
  },
};

function isSecuritySeverity(severity: CodeScanningAlertInput['severity']): severity is AdvisorySeverity {
  return severity in SECURITY_RULES;
}

/** The query an alert of this severity comes from: a security query (rated on both scales) or a quality query. */
function ruleFor(severity: CodeScanningAlertInput['severity']): {
  profile: RuleProfile;
  severity: RuleSeverity;
  securityLevel: AdvisorySeverity | null;
} {
  if (!isSecuritySeverity(severity)) return { profile: QUALITY_RULES[severity], severity, securityLevel: null };
  const ruleSeverity = severity === 'critical' || severity === 'high' ? 'error' : 'warning';
  return { profile: SECURITY_RULES[severity], severity: ruleSeverity, securityLevel: severity };
}

/** Code scanning refers to branches by their full ref name. */
export function codeScanningRef(ref: string): string {
  return ref.startsWith('refs/') ? ref : `refs/heads/${ref}`;
}

export function buildCodeScanningAlert(
  number: number,
  input: CodeScanningAlertInput,
  instance: { ref: string; commitSha: string },
  links: GitHubLinks,
  now: Date,
): CodeScanningAlert {
  const { profile, severity, securityLevel } = ruleFor(input.severity);
  const startLine = input.start_line ?? 1;
  const state = input.state ?? 'open';
  const timestamp = githubTimestamp(now);
  return {
    number,
    created_at: timestamp,
    updated_at: timestamp,
    url: links.api(`/code-scanning/alerts/${number}`),
    html_url: links.html(`/security/code-scanning/${number}`),
    instances_url: links.api(`/code-scanning/alerts/${number}/instances`),
    state,
    fixed_at: state === 'fixed' ? timestamp : null,
    dismissed_by: null,
    dismissed_at: state === 'dismissed' ? timestamp : null,
    dismissed_reason: state === 'dismissed' ? "won't fix" : null,
    dismissed_comment: null,
    rule: {
      id: input.rule_id ?? profile.id,
      severity,
      security_severity_level:
        input.security_severity_level === undefined ? securityLevel : input.security_severity_level,
      description: input.description ?? profile.description,
      name: input.rule_name ?? input.rule_id ?? profile.id,
      tags: profile.tags,
      full_description: input.description ?? profile.description,
      help: null,
      help_uri: null,
    },
    tool: { name: 'CodeQL', guid: null, version: '2.19.3' },
    most_recent_instance: {
      ref: instance.ref,
      analysis_key: '.github/workflows/codeql.yml:analyze',
      environment: '{"language":"python"}',
      category: '/language:python',
      state,
      commit_sha: instance.commitSha,
      message: { text: input.message ?? profile.message },
      location: {
        path: input.path ?? 'backend/app/main.py',
        start_line: startLine,
        end_line: startLine,
        start_column: 1,
        end_column: 10,
      },
      classifications: [],
    },
    assignees: [],
  };
}
