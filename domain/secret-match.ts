import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Whether `candidate` is one of `secrets` (admin tokens, a bearer token), in time that does not depend on where a
 * guess first differs: digests have one length, and every secret is compared, so neither length nor position leaks.
 */
export function isOneOfSecrets(candidate: string, secrets: readonly string[]): boolean {
  const given = digest(candidate);
  let matched = false;
  for (const secret of secrets) matched = timingSafeEqual(given, digest(secret)) || matched;
  return matched;
}
