import { z } from 'zod';

export const ENVIRONMENTS = ['staging', 'production'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/** The contract's exact wording for a bad environment; users already match on it. */
export function invalidEnvironmentMessage(value: unknown): string {
  return `Invalid environment: ${value === undefined ? '(missing)' : String(value)}. Must be 'staging' or 'production'`;
}

export const environmentSchema = z.enum(ENVIRONMENTS, {
  error: (issue) => invalidEnvironmentMessage(issue.input),
});
