// `npm run bench:parallelism`: shows that validate_deployment's independent checks run in parallel.
// Every sandbox GitHub request is slowed by the same delay D; if the checks ran one after another, validation would
// slow by (requests × D). The figure that matters is the added time divided by D: the number of delays the
// validation actually waits, measured against a baseline run without delay in the same process.

import { githubRequests, steer } from '../test/helpers/sandbox-control.js';
import { startDevServerEnv } from '../test/helpers/temporal-env.js';
import { startHarness } from '../test/helpers/workflow-harness.js';
import type { validateDeployment } from '../workflows/validate-deployment.js';

const DELAY_MS = Number(process.env.BENCH_DELAY_MS ?? 500);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const input = {
  environment: 'staging' as const,
  git_ref: 'main',
  dry_run: false,
  skip_tests: false,
  skip_security_scan: false,
};

const harness = await startHarness(startDevServerEnv);

async function measure(delayMs: number) {
  const durations: number[] = [];
  let requests = 0;
  for (let run = 0; run < RUNS; run++) {
    await steer(harness.sandbox, 'POST', '/reset');
    await steer(harness.sandbox, 'POST', '/latency', { delay_ms: delayMs });
    const startedAt = performance.now();
    const result = await harness.execute<typeof validateDeployment>('validateDeployment', [input]);
    durations.push(performance.now() - startedAt);
    if (!result.valid) throw new Error(`validation should pass: ${result.blockers.join('; ')}`);
    requests = (await githubRequests(harness.sandbox)).length;
  }
  durations.sort((a, b) => a - b);
  return { medianMs: durations[Math.floor(durations.length / 2)] ?? 0, requests };
}

try {
  await measure(0); // warm-up: worker caches, connection set-up
  const baseline = await measure(0);
  const slowed = await measure(DELAY_MS);
  const delaysWaited = (slowed.medianMs - baseline.medianMs) / DELAY_MS;
  console.log(
    `validate_deployment(staging, main), median of ${RUNS} runs, every GitHub request delayed by ${DELAY_MS} ms:`,
  );
  console.log(`  baseline (no delay):      ${baseline.medianMs.toFixed(0)} ms`);
  console.log(`  with delay:               ${slowed.medianMs.toFixed(0)} ms`);
  console.log(
    `  GitHub requests made:     ${slowed.requests} (run one after another: +${slowed.requests * DELAY_MS} ms)`,
  );
  console.log(
    `  delays actually waited:   ${delaysWaited.toFixed(2)} (the critical path: resolve the ref, then the deepest check)`,
  );
  console.log(`  parallel speed-up:        ${(slowed.requests / delaysWaited).toFixed(1)}x over sequential requests`);
} finally {
  await harness.close();
}
