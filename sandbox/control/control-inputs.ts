import { z } from 'zod';
import { CD_JOBS } from '../actions/cd-workflow.js';

/** Everything the control API accepts; `SandboxState` takes the same shapes in-process. */

export const commitInput = z.object({
  branch: z.string().min(1),
  message: z.string().min(1).optional(),
  files: z.record(z.string().min(1), z.string().nullable()),
  /** When it was committed (default: now), for histories that reach back in time. */
  date: z.iso.datetime().optional(),
});
export type CommitInput = z.infer<typeof commitInput>;

export const largeRepositoryInput = z.object({
  branch: z.string().min(1),
  files: z.number().int().min(1).max(50_000),
  folder: z.string().min(1).default('backend/app/generated'),
});
export type LargeRepositoryInput = z.infer<typeof largeRepositoryInput>;

export const treeLimitInput = z.object({ entries: z.number().int().min(1) });
export type TreeLimitInput = z.infer<typeof treeLimitInput>;

export const tagInput = z.object({ tag: z.string().min(1), ref: z.string().min(1) });
export type TagInput = z.infer<typeof tagInput>;

export const checksInput = z.object({
  ref: z.string().min(1),
  conclusion: z.enum(['success', 'failure', 'pending']),
  name: z.string().min(1).optional(),
});
export type ChecksInput = z.infer<typeof checksInput>;

export const statusesInput = z.object({
  ref: z.string().min(1),
  state: z.enum(['success', 'failure', 'pending', 'error']),
  context: z.string().min(1).optional(),
});
export type StatusesInput = z.infer<typeof statusesInput>;

const advisorySeverity = z.enum(['low', 'medium', 'high', 'critical']);
export type AdvisorySeverity = z.infer<typeof advisorySeverity>;

export const dependabotAlertInput = z.object({
  severity: advisorySeverity,
  package: z.string().min(1).optional(),
  ecosystem: z.string().min(1).optional(),
  summary: z.string().min(1).optional(),
  description: z.string().min(1).optional(),
  ghsa_id: z.string().min(1).optional(),
  cve_id: z.string().min(1).nullable().optional(),
  cvss_score: z.number().min(0).max(10).optional(),
  vulnerable_version_range: z.string().min(1).optional(),
  first_patched_version: z.string().min(1).nullable().optional(),
  manifest_path: z.string().min(1).optional(),
  state: z.enum(['open', 'dismissed', 'fixed', 'auto_dismissed']).optional(),
});
export type DependabotAlertInput = z.infer<typeof dependabotAlertInput>;

const ruleSeverity = z.enum(['none', 'note', 'warning', 'error']);
export type RuleSeverity = z.infer<typeof ruleSeverity>;

export const codeScanningAlertInput = z.object({
  /** A rule severity (`note`…`error`) or a security severity (`low`…`critical`, which implies a security rule). */
  severity: z.union([ruleSeverity, advisorySeverity]),
  security_severity_level: advisorySeverity.nullable().optional(),
  rule_id: z.string().min(1).optional(),
  rule_name: z.string().min(1).optional(),
  description: z.string().min(1).optional(),
  ref: z.string().min(1).optional(),
  path: z.string().min(1).optional(),
  start_line: z.number().int().positive().optional(),
  message: z.string().min(1).optional(),
  state: z.enum(['open', 'dismissed', 'fixed']).optional(),
});
export type CodeScanningAlertInput = z.infer<typeof codeScanningAlertInput>;

export const secretScanningAlertInput = z.object({
  secret_type: z.string().min(1).optional(),
  secret: z.string().min(1).optional(),
  path: z.string().min(1).optional(),
  ref: z.string().min(1).optional(),
  start_line: z.number().int().positive().optional(),
  state: z.enum(['open', 'resolved']).optional(),
});
export type SecretScanningAlertInput = z.infer<typeof secretScanningAlertInput>;

export const featuresInput = z.object({
  dependabot_alerts: z.boolean().optional(),
  code_scanning: z.boolean().optional(),
  secret_scanning: z.boolean().optional(),
});
export type FeaturesInput = z.infer<typeof featuresInput>;

export const environmentInput = z.object({
  secrets: z.array(z.string().min(1)),
  variables: z.record(z.string().min(1), z.string()),
});
export type EnvironmentInput = z.infer<typeof environmentInput>;

export const faultInput = z.object({
  match: z.string().min(1).optional(),
  method: z.string().min(1).optional(),
  count: z.number().int().min(0).optional(),
  status: z.number().int().min(400).max(599).optional(),
  /** GitHub's error message for a status fault; default: what GitHub says for that status. */
  message: z.string().min(1).optional(),
  rate_limit: z.enum(['secondary', 'primary', 'too_many_requests']).optional(),
  retry_after: z.number().int().min(0).optional(),
  delay_ms: z.number().int().min(0).optional(),
  hang: z.boolean().optional(),
  malformed_body: z.boolean().optional(),
  lost_answer: z.boolean().optional(),
});
export type FaultInput = z.infer<typeof faultInput>;

export const latencyInput = z.object({ delay_ms: z.number().int().min(0) });

export const appEnvironment = z.enum(['staging', 'production']);
export type AppEnvironment = z.infer<typeof appEnvironment>;

export const appComponent = z.enum(['api', 'database', 'redis', 'celery_worker', 'celery_beat']);
export type AppComponent = z.infer<typeof appComponent>;

const componentMode = z.enum(['healthy', 'unhealthy', 'error', 'hang', 'hold', 'garbage', 'refuse']);
export type ComponentMode = z.infer<typeof componentMode>;

export const componentModeInput = z.object({ mode: componentMode });

/** `instance: 'canary'` steers the new version's requests only, during a canary (and before it starts). */
export const appErrorRateInput = z.object({
  ratio: z.number().min(0).max(1),
  instance: z.enum(['stable', 'canary']).default('stable'),
});

export const appVersionInput = z.object({ version: z.string().min(1), sha: z.string().min(1).optional() });
export type AppVersionInput = z.infer<typeof appVersionInput>;

export const actionsTimingInput = z.object({
  queued_ms: z.number().int().min(0).max(600_000).optional(),
  run_ms: z.number().int().min(0).max(600_000).optional(),
});
export type ActionsTimingInput = z.infer<typeof actionsTimingInput>;

export const actionsOutcomeInput = z.object({
  environment: appEnvironment.optional(),
  conclusion: z.enum(['success', 'failure', 'cancelled']),
  failing_job: z.enum(CD_JOBS).optional(),
  failing_step: z.string().min(1).optional(),
  /** The line the failing step's log explains the failure with. */
  message: z.string().min(1).optional(),
  /** How the app's components behave once a successful run has deployed it. */
  components: z.partialRecord(appComponent, componentMode).optional(),
});
export type ActionsOutcomeInput = z.infer<typeof actionsOutcomeInput>;

export const actionsFeaturesInput = z.object({ return_run_details: z.boolean() });
export type ActionsFeaturesInput = z.infer<typeof actionsFeaturesInput>;
