import { defineQuery, setCurrentDetails, setHandler } from '@temporalio/workflow';

export interface Progress {
  completed: number;
  total: number;
  step: string;
}

/** How far a workflow is; the gateway turns it into MCP progress notifications. */
export const progressQuery = defineQuery<Progress>('progress');

/** Keeps the progress query and the Web UI's "current details" in step with the workflow. */
export function trackProgress(total: number, step: string) {
  const progress: Progress = { completed: 0, total, step };
  const publish = () => setCurrentDetails(`${progress.completed}/${progress.total} done; now: ${progress.step}`);
  setHandler(progressQuery, () => ({ ...progress }));
  publish();
  return {
    step(step: string) {
      progress.step = step;
      publish();
    },
    completed(what: string) {
      progress.completed = Math.min(progress.total, progress.completed + 1);
      progress.step = `${what} done`;
      publish();
    },
  };
}
