/**
 * GitHub's `created` filter for workflow runs, in its search syntax: `>=T`, `>T`, `<=T`, `<T`, `A..B` (either side
 * may be `*`) or a bare date or time. A bound that is only a date covers the whole day (UTC), so `<=2026-11-24`
 * includes that day. Answers undefined when the filter does not parse.
 */
export function createdFilter(expression: string): ((created: Date) => boolean) | undefined {
  const range = /^(.+)\.\.(.+)$/.exec(expression);
  if (range) {
    const from = range[1] === '*' ? { start: Number.NEGATIVE_INFINITY } : bound(range[1]);
    const to = range[2] === '*' ? { end: Number.POSITIVE_INFINITY } : bound(range[2]);
    if (!from || !to) return undefined;
    return (created) => created.getTime() >= from.start && created.getTime() < to.end;
  }
  const comparison = /^(>=|>|<=|<)?(.+)$/.exec(expression);
  const at = bound(comparison?.[2]);
  if (!comparison || !at) return undefined;
  switch (comparison[1]) {
    case '>=':
      return (created) => created.getTime() >= at.start;
    case '>':
      return (created) => created.getTime() >= at.end;
    case '<=':
      return (created) => created.getTime() < at.end;
    case '<':
      return (created) => created.getTime() < at.start;
    default:
      return (created) => created.getTime() >= at.start && created.getTime() < at.end;
  }
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The span a bound names: a whole day for a date, one millisecond for a time. */
function bound(text: string | undefined): { start: number; end: number } | undefined {
  if (text === undefined) return undefined;
  const start = Date.parse(DATE_ONLY.test(text) ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(start)) return undefined;
  return { start, end: start + (DATE_ONLY.test(text) ? DAY_MS : 1) };
}
