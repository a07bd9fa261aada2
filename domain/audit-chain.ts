import { createHash } from 'node:crypto';

/**
 * The audit log's hash chain. Every line written by this version ends with `prev_hash`: the sha256 (hex) of the exact
 * bytes of the line before it, without its newline, or GENESIS_HASH for a log's first line. Editing, deleting,
 * reordering or inserting a line then breaks the link at the line after it. Cutting whole lines off the end leaves a
 * valid (shorter) chain: only an anchor recorded earlier (a line's hash, see `anchors`) can show that.
 */
export const GENESIS_HASH = '0'.repeat(64);

const NEWLINE = 0x0a;
const SHA256_HEX = /^[0-9a-f]{64}$/;

export function lineHash(line: Uint8Array): string {
  return createHash('sha256').update(line).digest('hex');
}

/** What a writer needs to append after `tail`, the end of the log (the whole file, or at least its last line). */
export interface ChainLink {
  prevHash: string;
  /** The log ends in a torn line (a writer died mid-write): the next line starts on a line of its own. */
  sealTornLine: boolean;
}

/**
 * The link for the next line, given the log's last bytes. The tail must hold the last line whole (start at a line
 * boundary or at the file's start); a torn last line is chained over as it is, so its bytes stay covered.
 */
export function nextLink(tail: Uint8Array): ChainLink {
  if (tail.length === 0) return { prevHash: GENESIS_HASH, sealTornLine: false };
  const terminated = tail[tail.length - 1] === NEWLINE;
  const body = terminated ? tail.subarray(0, -1) : tail;
  return { prevHash: lineHash(body.subarray(body.lastIndexOf(NEWLINE) + 1)), sealTornLine: !terminated };
}

/** Whether the last line in `tail` is whole in it, so `nextLink` can hash it. */
export function holdsLastLine(tail: Uint8Array, isWholeFile: boolean): boolean {
  return isWholeFile || tail.subarray(0, -1).includes(NEWLINE);
}

/** One line of the log: its bytes without the newline, and whether a newline ended it. */
export interface LogLine {
  bytes: Uint8Array;
  terminated: boolean;
}

export interface ChainVerified {
  ok: true;
  lines: number;
  /** Lines written before the chain existed: they come first and are not covered, except the last one's bytes. */
  legacyLines: number;
  /** Lines a writer left torn (not JSON) that the next line chained over: no entry was lost, none can be edited. */
  tornLines: number[];
  /** The last line's hash: record it, and pass it later as an anchor to show nothing up to it was cut. */
  lastHash: string;
  /** The anchors that were not found as any line's hash. */
  missingAnchors: string[];
}

export interface ChainBroken {
  ok: false;
  /** 1-based line number of the first line that fails. */
  line: number;
  reason: string;
}

export type ChainResult = ChainVerified | ChainBroken;

interface ParsedLine {
  json: boolean;
  prevHash: unknown;
}

function parse(bytes: Uint8Array): ParsedLine {
  try {
    const value: unknown = JSON.parse(Buffer.from(bytes).toString('utf8'));
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return { json: false, prevHash: undefined };
    return { json: true, prevHash: (value as { prev_hash?: unknown }).prev_hash };
  } catch {
    return { json: false, prevHash: undefined };
  }
}

/**
 * Checks a log line by line (no I/O: feed it lines, in order, then ask for the result). Stops at the first line that
 * breaks the chain; `anchors` are line hashes recorded earlier that must still be in the log.
 */
export function chainVerifier(anchors: readonly string[] = []) {
  const missing = new Set(anchors);
  let lineNumber = 0;
  let previousHash = GENESIS_HASH;
  let chainStarted = false;
  let legacyLines = 0;
  const tornLines: number[] = [];
  // A line that is not JSON is only acceptable as a torn line the next line chained over.
  let pendingNotJson = 0;
  let broken: ChainBroken | null = null;

  const brokenAt = (line: number, reason: string): ChainBroken => ({ ok: false, line, reason });
  const notJson = (line: number) => brokenAt(line, 'not a JSON audit line, and no line after it chained over it');

  /** Why the current line breaks the chain, or null; keeps the state the lines so far leave. */
  function check({ bytes, terminated }: LogLine): ChainBroken | null {
    if (!terminated) {
      return brokenAt(
        lineNumber,
        'the last line is incomplete (no newline): the file was cut mid-line, or a writer died mid-write and no line has been appended since',
      );
    }
    const { json, prevHash } = parse(bytes);
    if (!json) {
      if (pendingNotJson) return notJson(pendingNotJson);
      pendingNotJson = lineNumber;
      return null;
    }
    if (prevHash === undefined) {
      if (pendingNotJson) return notJson(pendingNotJson);
      if (chainStarted) {
        return brokenAt(
          lineNumber,
          'no prev_hash, but the chain started before it: a line inserted, or written by a writer without the chain',
        );
      }
      legacyLines += 1;
      return null;
    }
    if (typeof prevHash !== 'string' || !SHA256_HEX.test(prevHash)) {
      return brokenAt(lineNumber, 'prev_hash is not a sha256 hex digest');
    }
    if (prevHash !== previousHash) {
      return brokenAt(
        lineNumber,
        lineNumber === 1
          ? 'prev_hash is not the genesis hash, so the log does not start here: lines before it were removed'
          : `prev_hash does not match line ${lineNumber - 1}: line ${lineNumber - 1} was edited, or lines were deleted, reordered or inserted here`,
      );
    }
    chainStarted = true;
    if (pendingNotJson) tornLines.push(pendingNotJson);
    pendingNotJson = 0;
    return null;
  }

  return {
    add(line: LogLine): void {
      if (broken) return;
      lineNumber += 1;
      const hash = lineHash(line.bytes);
      missing.delete(hash);
      broken = check(line);
      previousHash = hash;
    },

    result(): ChainResult {
      if (broken) return broken;
      if (pendingNotJson) return notJson(pendingNotJson);
      return {
        ok: true,
        lines: lineNumber,
        legacyLines,
        tornLines,
        lastHash: previousHash,
        missingAnchors: [...missing],
      };
    },
  };
}

/** Splits a log's bytes into lines, keeping each line's exact bytes. */
export function* logLines(content: Uint8Array): Generator<LogLine> {
  let start = 0;
  while (start < content.length) {
    const end = content.indexOf(NEWLINE, start);
    if (end < 0) {
      yield { bytes: content.subarray(start), terminated: false };
      return;
    }
    yield { bytes: content.subarray(start, end), terminated: true };
    start = end + 1;
  }
}
