const DAY_MS = 24 * 60 * 60 * 1000;

/** GitHub's timestamp format: ISO 8601 in UTC without milliseconds. */
export function githubTimestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function daysBefore(date: Date, days: number): Date {
  return new Date(date.getTime() - days * DAY_MS);
}
