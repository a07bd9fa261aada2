/** Why something failed, in the words of its innermost cause (Temporal wraps an activity's error twice). */
export function failureReason(error: unknown): string {
  let current: unknown = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return current instanceof Error ? current.message : String(current);
}
