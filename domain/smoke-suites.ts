// The smoke suites without their schemas, so the workflow bundle needs no zod.
export type { SmokeCheck, SmokeTestsInput, SmokeTestsResult } from './smoke-tests.js';

export const TEST_SUITES = ['basic', 'full'] as const;
export type TestSuite = (typeof TEST_SUITES)[number];

export const HEALTH_COMPONENTS = ['api', 'database', 'redis', 'celery_worker', 'celery_beat'] as const;
export type HealthComponent = (typeof HEALTH_COMPONENTS)[number];

/** Basic proves the service answers and reaches its stores; full adds the background workers. */
export const SUITE_COMPONENTS: Record<TestSuite, readonly HealthComponent[]> = {
  basic: ['api', 'database', 'redis'],
  full: HEALTH_COMPONENTS,
};

export const MIN_SMOKE_TIMEOUT_SECONDS = 30;
export const MAX_SMOKE_TIMEOUT_SECONDS = 1800;
