import { createHash } from 'node:crypto';

/** The contract's token hash: the only form of a token that results, logs and audit lines may show. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 12);
}

export const INVALID_APPROVAL_TOKEN_MESSAGE = 'Invalid approval token for production deployment';
