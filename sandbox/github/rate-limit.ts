const WINDOW_SECONDS = 60 * 60;

export interface RateLimitSnapshot {
  limit: number;
  remaining: number;
  /** Epoch seconds at which the window starts over. */
  reset: number;
  used: number;
  resource: string;
}

/** GitHub's hourly primary rate limit: each request uses one unit until the window resets. */
export class RateLimitBucket {
  #used = 0;
  #resetAt = 0;

  constructor(readonly limit: number) {}

  /** Counts one request; `allowed` is false once the window's quota is spent. */
  consume(now: Date): { allowed: boolean; snapshot: RateLimitSnapshot } {
    const nowSeconds = Math.floor(now.getTime() / 1000);
    if (nowSeconds >= this.#resetAt) {
      this.#used = 0;
      this.#resetAt = nowSeconds + WINDOW_SECONDS;
    }
    const allowed = this.#used < this.limit;
    if (allowed) this.#used += 1;
    return {
      allowed,
      snapshot: {
        limit: this.limit,
        remaining: this.limit - this.#used,
        reset: this.#resetAt,
        used: this.#used,
        resource: 'core',
      },
    };
  }
}

export function rateLimitHeaders(snapshot: RateLimitSnapshot): Record<string, string> {
  return {
    'x-ratelimit-limit': String(snapshot.limit),
    'x-ratelimit-remaining': String(snapshot.remaining),
    'x-ratelimit-reset': String(snapshot.reset),
    'x-ratelimit-used': String(snapshot.used),
    'x-ratelimit-resource': snapshot.resource,
  };
}
