import type { Severity } from './security.js';

export interface SecretRule {
  id: string;
  title: string;
  severity: Severity;
  pattern: RegExp;
}

/**
 * Formats of credentials that are unambiguous enough to flag without a verifier. Each pattern must match the
 * credential itself, so a finding can be fingerprinted without ever quoting it.
 */
export const SECRET_RULES: readonly SecretRule[] = [
  {
    id: 'aws-access-key-id',
    title: 'AWS access key ID',
    severity: 'critical',
    pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g,
  },
  {
    id: 'github-token',
    title: 'GitHub token',
    severity: 'critical',
    pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{60,})\b/g,
  },
  {
    id: 'private-key',
    title: 'Private key',
    severity: 'critical',
    pattern: /-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY( BLOCK)?-----/g,
  },
  { id: 'slack-token', title: 'Slack token', severity: 'high', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/g },
  {
    id: 'stripe-live-key',
    title: 'Stripe live secret key',
    severity: 'critical',
    pattern: /\b[sr]k_live_[A-Za-z0-9]{20,}\b/g,
  },
  { id: 'google-api-key', title: 'Google API key', severity: 'high', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/g },
  {
    id: 'password-in-url',
    title: 'Password in a connection URL',
    severity: 'high',
    pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@'"]+:[^\s@/'"$]{6,}@[^\s'"]+/g,
  },
];

/** Well-known documentation placeholders: flagging them would teach people to ignore the scan. */
const PLACEHOLDERS = [/EXAMPLE/i, /:(?:password|changeme|secret|x{3,}|\*+)@/i];

export interface SecretFinding {
  rule: SecretRule;
  path: string;
  line: number;
  /** The credential itself: callers fingerprint it and must never report it. */
  match: string;
}

export function findSecrets(path: string, text: string): SecretFinding[] {
  const findings: SecretFinding[] = [];
  const lines = text.split('\n');
  lines.forEach((lineText, index) => {
    for (const rule of SECRET_RULES) {
      for (const match of lineText.matchAll(rule.pattern)) {
        const value = match[0];
        if (!PLACEHOLDERS.some((pattern) => pattern.test(value)))
          findings.push({ rule, path, line: index + 1, match: value });
      }
    }
  });
  return findings;
}

/** Paths the secret scan skips: an allowlist entry is a path prefix (a folder or a file). */
export function isAllowlisted(path: string, allowlist: readonly string[]): boolean {
  return allowlist.some((entry) => path === entry || path.startsWith(entry.endsWith('/') ? entry : `${entry}/`));
}
