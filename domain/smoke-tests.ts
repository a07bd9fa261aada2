import { z } from 'zod';
import { type Environment, environmentSchema } from './environment.js';
import {
  type HealthComponent,
  MAX_SMOKE_TIMEOUT_SECONDS,
  MIN_SMOKE_TIMEOUT_SECONDS,
  TEST_SUITES,
} from './smoke-suites.js';

export {
  HEALTH_COMPONENTS,
  type HealthComponent,
  MAX_SMOKE_TIMEOUT_SECONDS,
  MIN_SMOKE_TIMEOUT_SECONDS,
  SUITE_COMPONENTS,
  TEST_SUITES,
  type TestSuite,
} from './smoke-suites.js';

export const smokeTestsInputSchema = z.strictObject({
  environment: environmentSchema,
  test_suite: z
    .enum(TEST_SUITES, {
      error: (issue) => `Invalid test_suite: ${String(issue.input)}. Must be 'basic' or 'full'`,
    })
    .default('basic'),
  timeout_seconds: z
    .number({ error: 'timeout_seconds must be a whole number of seconds from 30 to 1800' })
    .int('timeout_seconds must be a whole number of seconds from 30 to 1800')
    .min(MIN_SMOKE_TIMEOUT_SECONDS, 'timeout_seconds must be from 30 to 1800')
    .max(MAX_SMOKE_TIMEOUT_SECONDS, 'timeout_seconds must be from 30 to 1800')
    .default(300),
  dry_run: z.boolean().default(false),
});
export type SmokeTestsInput = z.infer<typeof smokeTestsInputSchema>;

export const smokeCheckSchema = z.object({
  check_name: z.string(),
  status: z.enum(['passed', 'failed']),
  message: z.string(),
  details: z.record(z.string(), z.unknown()),
  duration_ms: z.number().int(),
});
export type SmokeCheck = z.infer<typeof smokeCheckSchema>;

export const smokeTestsResultSchema = z.object({
  environment: environmentSchema,
  test_suite: z.enum(TEST_SUITES),
  passed: z.boolean(),
  results: z.array(smokeCheckSchema),
  failures: z.array(z.string()),
  duration_ms: z.number().int(),
  executed_at: z.string(),
  dry_run: z.boolean(),
});
export type SmokeTestsResult = z.infer<typeof smokeTestsResultSchema>;

export interface SmokeProbe {
  environment: Environment;
  component: HealthComponent;
  url: string;
  timeoutMs: number;
}

const HEALTHY_WORDS = new Set(['ok', 'healthy', 'up', 'pass', 'passed']);

/** Reads a health endpoint's answer: 2xx with a JSON body whose `status`, when present, says healthy. */
export function judgeHealthResponse(httpStatus: number, body: string): { healthy: boolean; reason: string } {
  if (httpStatus < 200 || httpStatus >= 300) return { healthy: false, reason: `answered HTTP ${httpStatus}` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { healthy: false, reason: `answered HTTP ${httpStatus} with a body that is not JSON` };
  }
  if (typeof parsed !== 'object' || parsed === null) {
    return { healthy: false, reason: 'answered with JSON that is not an object' };
  }
  const status = (parsed as { status?: unknown }).status;
  if (status === undefined || (typeof status === 'string' && HEALTHY_WORDS.has(status.toLowerCase()))) {
    return { healthy: true, reason: `healthy (HTTP ${httpStatus})` };
  }
  return { healthy: false, reason: `reported status ${JSON.stringify(status)}` };
}
