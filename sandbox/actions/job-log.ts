import type { WorkflowRunRecord } from './actions-store.js';
import type { JobView } from './run-progress.js';

/** GitHub's log timestamps: ISO 8601 with seven fractional digits. */
function logTimestamp(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');
}

/**
 * A job's log as GitHub serves it: one timestamped line each, a `##[group]` per step that ran, and for the step
 * that failed the explanation of the simulated failure and GitHub's exit-code error. Steps that have not started
 * (or were skipped) print nothing, so a running job's log grows as it goes.
 */
export function jobLog(run: WorkflowRunRecord, job: JobView): string {
  const lines: string[] = [];
  for (const step of job.steps) {
    if (!step.startedAt) continue;
    const at = logTimestamp(step.startedAt);
    const end = logTimestamp(step.completedAt ?? step.startedAt);
    const { template } = step;
    const stepLines = template.command
      ? [`##[group]Run ${template.command}`, template.command, '##[endgroup]', ...template.output]
      : template.output;
    // A step that stopped partway printed only its first line of output.
    const partial = stepLines.slice(0, template.command ? 4 : 1).map((line) => `${at} ${line}`);
    if (step.conclusion === 'failure') {
      lines.push(
        ...partial,
        `${end} ##[error]${run.outcome.message}`,
        `${end} ##[error]Process completed with exit code 1.`,
      );
    } else if (step.conclusion === 'cancelled') {
      lines.push(...partial, `${end} ##[error]The operation was canceled.`);
    } else {
      lines.push(...stepLines.map((line) => `${at} ${line}`));
    }
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}
