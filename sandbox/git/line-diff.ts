export interface LineDiff {
  additions: number;
  deletions: number;
  /** Unified diff hunks without file headers, as GitHub puts in a diff entry's `patch`. */
  patch: string;
}

type Operation = { kind: ' ' | '-' | '+'; line: string };

const CONTEXT_LINES = 3;

export function diffLines(before: string, after: string): LineDiff {
  const operations = lcsOperations(splitLines(before), splitLines(after));
  return {
    additions: operations.filter((operation) => operation.kind === '+').length,
    deletions: operations.filter((operation) => operation.kind === '-').length,
    patch: hunks(operations).join('\n'),
  };
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

// Plain LCS is quadratic, which is fine for the small files the sandbox holds.
function lcsOperations(before: readonly string[], after: readonly string[]): Operation[] {
  const width = after.length + 1;
  const common = new Uint32Array((before.length + 1) * width);
  for (let i = before.length - 1; i >= 0; i--) {
    for (let j = after.length - 1; j >= 0; j--) {
      common[i * width + j] =
        before[i] === after[j]
          ? (common[(i + 1) * width + j + 1] ?? 0) + 1
          : Math.max(common[(i + 1) * width + j] ?? 0, common[i * width + j + 1] ?? 0);
    }
  }
  const operations: Operation[] = [];
  let i = 0;
  let j = 0;
  while (i < before.length || j < after.length) {
    const removed = before[i];
    const added = after[j];
    if (removed !== undefined && added !== undefined && removed === added) {
      operations.push({ kind: ' ', line: removed });
      i++;
      j++;
    } else if (
      added === undefined ||
      (removed !== undefined && (common[(i + 1) * width + j] ?? 0) >= (common[i * width + j + 1] ?? 0))
    ) {
      operations.push({ kind: '-', line: removed ?? '' });
      i++;
    } else {
      operations.push({ kind: '+', line: added });
      j++;
    }
  }
  return operations;
}

function hunks(operations: readonly Operation[]): string[] {
  const changed = operations.flatMap((operation, index) => (operation.kind === ' ' ? [] : [index]));
  const groups: Array<[first: number, last: number]> = [];
  for (const index of changed) {
    const current = groups.at(-1);
    // Like git, join hunks whose context would touch.
    if (current && index - current[1] <= 2 * CONTEXT_LINES + 1) current[1] = index;
    else groups.push([index, index]);
  }
  return groups.map(([first, last]) => {
    const start = Math.max(0, first - CONTEXT_LINES);
    const end = Math.min(operations.length, last + CONTEXT_LINES + 1);
    const before = operations.slice(0, start);
    const body = operations.slice(start, end);
    const oldCount = body.filter((operation) => operation.kind !== '+').length;
    const newCount = body.filter((operation) => operation.kind !== '-').length;
    const oldBefore = before.filter((operation) => operation.kind !== '+').length;
    const newBefore = before.filter((operation) => operation.kind !== '-').length;
    // Git numbers an empty side by the line before it, hence `-0,0` for a new file.
    const header = `@@ -${oldCount === 0 ? oldBefore : oldBefore + 1},${oldCount} +${newCount === 0 ? newBefore : newBefore + 1},${newCount} @@`;
    return [header, ...body.map((operation) => `${operation.kind}${operation.line}`)].join('\n');
  });
}
