import { type SmokeTestsInput, type SmokeTestsResult, SUITE_COMPONENTS } from '../domain/smoke-suites.js';
import { auditToolRun } from './audit-trail.js';
import { probeComponents } from './health-probes.js';
import { trackProgress } from './progress.js';

/**
 * Probes every component of the suite at once. `timeout_seconds` bounds the whole run: each probe gets at most
 * that long, queueing included. A probe's verdict is its result, so a flaky service is never retried into passing;
 * only a probe lost with its worker runs again (smokeProbeOptions).
 */
export async function runSmokeTests(input: SmokeTestsInput): Promise<SmokeTestsResult> {
  const startedAt = Date.now();
  const budgetMs = input.timeout_seconds * 1000;
  const components = SUITE_COMPONENTS[input.test_suite];
  const progress = trackProgress(components.length, `probing ${input.environment}`);
  const results = await probeComponents(input.environment, components, budgetMs, (component) =>
    progress.completed(component),
  );
  const failures = results.filter((result) => result.status === 'failed').map((result) => result.message);
  await auditToolRun('run_smoke_tests', {
    environment: input.environment,
    success: failures.length === 0,
    dry_run: input.dry_run,
    details: { test_suite: input.test_suite, failures },
  });
  return {
    environment: input.environment,
    test_suite: input.test_suite,
    passed: failures.length === 0,
    results,
    failures,
    duration_ms: Date.now() - startedAt,
    executed_at: new Date(startedAt).toISOString(),
    dry_run: input.dry_run,
  };
}
