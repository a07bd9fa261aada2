import { createHash, timingSafeEqual } from 'node:crypto';

/** The contract's token hash: the only form of a token that results, logs and audit lines may show. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 12);
}

/**
 * Whether `token` is one of the admin tokens, in time that does not depend on where a guess first differs: digests
 * have one length, and every admin token is compared, so neither length nor position leaks.
 */
export function isAdminToken(token: string, adminTokens: readonly string[]): boolean {
  const candidate = createHash('sha256').update(token).digest();
  let matched = false;
  for (const admin of adminTokens) {
    const expected = createHash('sha256').update(admin).digest();
    matched = timingSafeEqual(candidate, expected) || matched;
  }
  return matched;
}

export const INVALID_APPROVAL_TOKEN_MESSAGE = 'Invalid approval token for production deployment';
