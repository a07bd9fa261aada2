import type { SearchAttributePair } from '@temporalio/common';
import { executeChild, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { type CheckOutcome, outcome, unverifiable } from '../domain/check-outcome.js';
import type { DeployedVersion } from '../domain/deployed-version.js';
import { failureReason } from '../domain/failure-reason.js';
import { type ResolvedRef, unresolvedRefMessage } from '../domain/resolved-ref.js';
import { SEARCH_ATTRIBUTES } from '../domain/search-attributes.js';
import type { SecurityScanResult } from '../domain/severity-policy.js';
import {
  CHECK_NAMES,
  combineOutcomes,
  SKIPPED_SCAN_WARNING,
  SKIPPED_TESTS_WARNING,
  skippedCheck,
  type ValidateDeploymentInput,
  type ValidationResult,
} from '../domain/validation-policy.js';
import { GITHUB_OPTIONS } from './activity-options.js';
import { auditToolRun } from './audit-trail.js';
import { trackProgress } from './progress.js';
import { runSecurityScan } from './run-security-scan.js';

const github = proxyActivities<Activities>(GITHUB_OPTIONS);

const PARALLEL_CHECKS = [
  CHECK_NAMES.tests,
  CHECK_NAMES.securityScan,
  CHECK_NAMES.migrations,
  CHECK_NAMES.environmentConfig,
  CHECK_NAMES.imagesBuilt,
];

function securityOutcome(scan: SecurityScanResult, durationMs: number): CheckOutcome {
  const summary = scan.severity_summary;
  const counts = `${summary.critical} critical, ${summary.high} high, ${summary.medium} medium, ${summary.low} low, ${summary.info} info`;
  const unavailable = scan.sources.filter((source) => source.status === 'unavailable').length;
  const status =
    scan.blockers.length > 0 ? 'failed' : scan.warnings.length > 0 || unavailable > 0 ? 'warning' : 'passed';
  return outcome(
    {
      check_name: CHECK_NAMES.securityScan,
      status,
      message: `${scan.vulnerabilities.length} finding(s): ${counts}`,
      details: {
        severity_summary: summary,
        sources: scan.sources,
        scan_workflow_id: `${workflowInfo().workflowId}/security-scan`,
      },
      duration_ms: durationMs,
    },
    scan.blockers.map((blocker) => `${CHECK_NAMES.securityScan}: ${blocker}`),
    scan.warnings,
  );
}

/**
 * The scan child carries its parent's search attributes, as a scan of its own, so the Web UI filters it alike. Only
 * attributes the parent already has are copied: a server without them registered (the test server) gets none.
 */
function childSearchAttributes(): SearchAttributePair[] {
  const inherited = workflowInfo().typedSearchAttributes.getAll();
  if (inherited.length === 0) return [];
  return [
    ...inherited.filter((pair) => pair.key.name !== SEARCH_ATTRIBUTES.kind.name),
    { key: SEARCH_ATTRIBUTES.kind, value: 'security_scan' },
  ];
}

/** Runs one check; a check whose source failed for good becomes a blocker that says why, never a pass. */
async function settle(checkName: string, run: () => Promise<CheckOutcome>): Promise<CheckOutcome> {
  const startedAt = Date.now();
  try {
    return await run();
  } catch (error) {
    return unverifiable(checkName, failureReason(error), Date.now() - startedAt);
  }
}

function parallelChecks(
  input: ValidateDeploymentInput,
  ref: ResolvedRef,
  deployed: Promise<DeployedVersion>,
): Promise<CheckOutcome>[] {
  const scanStartedAt = Date.now();
  return [
    input.skip_tests
      ? Promise.resolve(skippedCheck(CHECK_NAMES.tests, 'Skipped: skip_tests=true', SKIPPED_TESTS_WARNING))
      : settle(CHECK_NAMES.tests, () => github.checkTestsPassed(ref.sha)),
    input.skip_security_scan
      ? Promise.resolve(
          skippedCheck(CHECK_NAMES.securityScan, 'Skipped: skip_security_scan=true', SKIPPED_SCAN_WARNING),
        )
      : settle(CHECK_NAMES.securityScan, async () => {
          const scan = await executeChild(runSecurityScan, {
            workflowId: `${workflowInfo().workflowId}/security-scan`,
            typedSearchAttributes: childSearchAttributes(),
            args: [
              {
                git_ref: input.git_ref,
                scan_dependencies: true,
                scan_code: true,
                scan_secrets: true,
                dry_run: input.dry_run,
              },
              ref,
            ],
          });
          return securityOutcome(scan, Date.now() - scanStartedAt);
        }),
    settle(CHECK_NAMES.migrations, async () =>
      github.checkMigrationsSafe({ environment: input.environment, sha: ref.sha, deployed: await deployed }),
    ),
    settle(CHECK_NAMES.environmentConfig, () => github.checkEnvironmentConfig(input.environment)),
    settle(CHECK_NAMES.imagesBuilt, () => github.checkImagesBuilt(ref.sha)),
  ];
}

async function resolveRef(gitRef: string): Promise<{ ref: ResolvedRef | null; outcome: CheckOutcome }> {
  const startedAt = Date.now();
  let ref: ResolvedRef | null = null;
  const refOutcome = await settle(CHECK_NAMES.gitRef, async () => {
    ref = await github.resolveGitRef(gitRef);
    const duration_ms = Date.now() - startedAt;
    if (!ref) {
      const message = unresolvedRefMessage(gitRef);
      return outcome({ check_name: CHECK_NAMES.gitRef, status: 'failed', message, details: {}, duration_ms }, [
        message,
      ]);
    }
    const { sha, kind, fullRef } = ref;
    return outcome({
      check_name: CHECK_NAMES.gitRef,
      status: 'passed',
      message: `${gitRef} is ${kind === 'commit' ? 'commit' : `${kind} at commit`} ${sha}`,
      details: { sha, kind, full_ref: fullRef },
      duration_ms,
    });
  });
  return { ref, outcome: refOutcome };
}

/**
 * Pins the ref to a commit first, so every check judges the same code, then runs every independent check at once:
 * the slowest check, not their sum, sets how long a validation takes.
 */
export async function validateDeployment(input: ValidateDeploymentInput): Promise<ValidationResult> {
  const startedAt = Date.now();
  const progress = trackProgress(1 + PARALLEL_CHECKS.length, `resolving ${input.git_ref}`);
  // What the environment runs does not depend on the ref: look it up while the ref resolves.
  const deployed = github.findDeployedVersion(input.environment);
  deployed.catch(() => undefined); // its failure is reported by the migrations check, or moot if the ref is unknown
  const { ref, outcome: refOutcome } = await resolveRef(input.git_ref);
  progress.completed(CHECK_NAMES.gitRef);
  progress.step(ref ? 'running checks' : 'ref did not resolve');
  const others = ref
    ? await Promise.all(
        parallelChecks(input, ref, deployed).map((check, index) =>
          check.finally(() => progress.completed(PARALLEL_CHECKS[index] ?? 'check')),
        ),
      )
    : PARALLEL_CHECKS.map((name) => skippedCheck(name, `Not run: ${input.git_ref} did not resolve to a commit`));
  const finishedAt = Date.now();
  const verdict = combineOutcomes([refOutcome, ...others]);
  await auditToolRun('validate_deployment', {
    environment: input.environment,
    success: verdict.valid,
    dry_run: input.dry_run,
    details: { git_ref: input.git_ref, commit_sha: ref?.sha ?? null, blockers: verdict.blockers },
  });
  return {
    ...verdict,
    environment: input.environment,
    git_ref: input.git_ref,
    commit_sha: ref?.sha ?? null,
    validated_at: new Date(finishedAt).toISOString(),
    validation_duration_ms: finishedAt - startedAt,
    dry_run: input.dry_run,
  };
}
