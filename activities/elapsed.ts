import { performance } from 'node:perf_hooks';

/** Milliseconds since `startedAt` (from `performance.now()`), whole, as the contract's duration fields are. */
export function elapsedMs(startedAt: number): number {
  return Math.round(performance.now() - startedAt);
}
