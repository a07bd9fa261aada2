import { log } from '@temporalio/workflow';
import type { DeploymentRecordState } from '../../activities/github/deployment-records.js';
import { failureReason } from '../../domain/failure-reason.js';

/** How the deployment failed: a check that said no (failure) or a step that broke or was cancelled (error). */
export interface Failure {
  why: string;
  recordState: Extract<DeploymentRecordState, 'failure' | 'error'>;
}

interface Compensation {
  name: string;
  undo(failure: Failure): Promise<void>;
}

/**
 * The saga's compensations, in the manner of Temporal's saga sample: each step that changes something outside adds
 * the step that undoes it, and a failure runs them newest first (stop the Actions run, then mark the GitHub
 * deployment), then restores the environment last: the automatic rollback once cd.yml was dispatched. Undo steps are
 * best effort (one that fails is logged, the others still run); the restore is the one that must happen.
 */
export class Compensations {
  #undo: Compensation[] = [];
  #restore: Compensation | null = null;

  add(name: string, undo: Compensation['undo']): void {
    this.#undo.unshift({ name, undo });
  }

  /** A step that ended cleanly needs no undoing (a finished run is not cancelled). */
  drop(name: string): void {
    this.#undo = this.#undo.filter((each) => each.name !== name);
  }

  restoreWith(name: string, restore: Compensation['undo']): void {
    this.#restore = { name, undo: restore };
  }

  async run(failure: Failure): Promise<void> {
    for (const { name, undo } of this.#undo) {
      await undo(failure).catch((error: unknown) =>
        log.warn(`compensation "${name}" failed`, { error: failureReason(error) }),
      );
    }
    await this.#restore?.undo(failure);
  }
}
