import { randomBytes } from 'node:crypto';
import type { SecretScanningAlertInput } from '../control/control-inputs.js';
import type { GitHubLinks } from '../github/links.js';
import { githubTimestamp } from '../timestamps.js';
import type { SecretScanningAlert } from './alert-store.js';

interface SecretTypeProfile {
  displayName: string;
  provider: string;
  providerSlug: string;
  /** Makes a fresh fake secret in the provider's format, so the product's redaction is exercised on realistic values. */
  generate(): string;
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomString(length: number, alphabet = ALPHANUMERIC): string {
  return [...randomBytes(length)].map((byte) => alphabet[byte % alphabet.length]).join('');
}

const SECRET_TYPES: Record<string, SecretTypeProfile> = {
  github_personal_access_token: {
    displayName: 'GitHub Personal Access Token',
    provider: 'GitHub',
    providerSlug: 'github',
    generate: () => `ghp_${randomString(36)}`,
  },
  aws_access_key_id: {
    displayName: 'Amazon AWS Access Key ID',
    provider: 'Amazon AWS',
    providerSlug: 'aws',
    generate: () => `AKIA${randomString(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`,
  },
  slack_api_token: {
    displayName: 'Slack API Token',
    provider: 'Slack',
    providerSlug: 'slack',
    generate: () => `xoxb-${randomString(11, '0123456789')}-${randomString(13, '0123456789')}-${randomString(24)}`,
  },
  stripe_api_key: {
    displayName: 'Stripe API Key',
    provider: 'Stripe',
    providerSlug: 'stripe',
    generate: () => `sk_live_${randomString(24)}`,
  },
};

export const DEFAULT_SECRET_TYPE = 'github_personal_access_token';

export interface SecretLocation {
  path: string;
  startLine: number;
  blobSha: string;
  commitSha: string;
}

/** A fresh secret of the given type, for specs that name no value. */
export function fakeSecret(secretType: string): string {
  const profile = SECRET_TYPES[secretType];
  return profile ? profile.generate() : randomString(40);
}

export function buildSecretScanningAlert(
  number: number,
  input: SecretScanningAlertInput & { secret: string },
  location: SecretLocation,
  links: GitHubLinks,
  now: Date,
): SecretScanningAlert {
  const secretType = input.secret_type ?? DEFAULT_SECRET_TYPE;
  const profile = SECRET_TYPES[secretType];
  const timestamp = githubTimestamp(now);
  const state = input.state ?? 'open';
  return {
    number,
    created_at: timestamp,
    updated_at: timestamp,
    url: links.api(`/secret-scanning/alerts/${number}`),
    html_url: links.html(`/security/secret-scanning/${number}`),
    locations_url: links.api(`/secret-scanning/alerts/${number}/locations`),
    state,
    resolution: state === 'resolved' ? 'revoked' : null,
    resolved_at: state === 'resolved' ? timestamp : null,
    resolved_by: null,
    resolution_comment: null,
    secret_type: secretType,
    secret_type_display_name: profile?.displayName ?? secretType,
    provider: profile?.provider ?? null,
    provider_slug: profile?.providerSlug ?? null,
    // GitHub returns the raw secret; redacting it is the client's job.
    secret: input.secret,
    push_protection_bypassed: false,
    push_protection_bypassed_by: null,
    push_protection_bypassed_at: null,
    push_protection_bypass_request_reviewer: null,
    push_protection_bypass_request_reviewer_comment: null,
    push_protection_bypass_request_comment: null,
    push_protection_bypass_request_html_url: null,
    validity: 'unknown',
    publicly_leaked: false,
    multi_repo: false,
    is_base64_encoded: false,
    first_location_detected: {
      path: location.path,
      start_line: location.startLine,
      end_line: location.startLine,
      start_column: 1,
      end_column: 1 + input.secret.length,
      blob_sha: location.blobSha,
      blob_url: links.api(`/git/blobs/${location.blobSha}`),
      commit_sha: location.commitSha,
      commit_url: links.api(`/git/commits/${location.commitSha}`),
    },
    has_more_locations: false,
  };
}
