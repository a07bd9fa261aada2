import { z } from 'zod';
import { CHECK_STATUSES } from './check-outcome.js';

export { CHECK_STATUSES, type CheckOutcome, type CheckStatus, outcome, unverifiable } from './check-outcome.js';

export const deploymentCheckSchema = z.object({
  check_name: z.string(),
  status: z.enum(CHECK_STATUSES),
  message: z.string(),
  details: z.record(z.string(), z.unknown()),
  duration_ms: z.number().int(),
});
export type DeploymentCheck = z.infer<typeof deploymentCheckSchema>;
