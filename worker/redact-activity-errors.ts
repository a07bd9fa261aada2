import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import type { Redactor } from '../domain/redaction.js';

function redactError(error: unknown, redact: Redactor, depth = 0): void {
  if (!(error instanceof Error) || depth > 5) return;
  error.message = redact(error.message);
  if (error.stack) error.stack = redact(error.stack);
  redactError(error.cause, redact, depth + 1);
}

/**
 * An activity's failure is written into the workflow's history, message and stack included, where payload
 * encryption does not reach: whatever a GitHub or HTTP error quoted, no secret of the worker's may go with it.
 */
export function redactActivityErrors(redact: Redactor): ActivityInterceptorsFactory {
  return () => ({
    inbound: {
      async execute(input, next) {
        try {
          return await next(input);
        } catch (error) {
          redactError(error, redact);
          throw error;
        }
      },
    },
  });
}
