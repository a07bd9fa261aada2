/**
 * GitHub's comparison of two commits never changes, so its commit times are kept for the gateway process's life:
 * a metrics call asks GitHub only about deployments it has not seen. Bounded, oldest entry out first.
 */
export class CommitTimesCache {
  private readonly entries = new Map<string, readonly string[]>();

  constructor(private readonly capacity = 50_000) {}

  get(comparison: string): readonly string[] | undefined {
    return this.entries.get(comparison);
  }

  set(comparison: string, times: readonly string[]): void {
    this.entries.delete(comparison);
    this.entries.set(comparison, times);
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  missing(comparisons: readonly string[]): string[] {
    return comparisons.filter((comparison) => !this.entries.has(comparison));
  }

  snapshot(comparisons: readonly string[]): Map<string, readonly string[]> {
    return new Map(
      comparisons.flatMap((comparison) => {
        const times = this.entries.get(comparison);
        return times ? [[comparison, times] as const] : [];
      }),
    );
  }
}

/** One cache per gateway process, shared by every connection (the HTTP gateway makes a server per request). */
export const COMMIT_TIMES = new CommitTimesCache();
