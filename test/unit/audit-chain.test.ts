// The audit log's hash chain as pure functions: each kind of tampering is found at the line where the chain breaks,
// and what a chain cannot show (whole lines cut off the end) is shown by an anchor instead.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chainVerifier, GENESIS_HASH, lineHash, logLines, nextLink } from '../../domain/audit-chain.js';

const text = (lines: string[]) => lines.map((line) => `${line}\n`).join('');

/** Appends lines the way the writer does: each chained off the log as it stands. */
function appendChained(log: string, count: number, from = 1): string {
  let result = log;
  for (let index = from; index < from + count; index++) {
    const { prevHash, sealTornLine } = nextLink(Buffer.from(result));
    const line = JSON.stringify({ operation: `op-${index}`, success: true, prev_hash: prevHash });
    result += `${sealTornLine ? '\n' : ''}${line}\n`;
  }
  return result;
}

function verify(log: string, anchors: string[] = []) {
  const verifier = chainVerifier(anchors);
  for (const line of logLines(Buffer.from(log))) verifier.add(line);
  return verifier.result();
}

/** Where and why the chain breaks; fails the test if it holds. */
function brokenAt(log: string) {
  const result = verify(log);
  assert.ok(!result.ok, 'the chain should break');
  return { line: result.line, reason: result.reason };
}

const lines = (log: string) => log.trimEnd().split('\n');

describe('audit chain', () => {
  it('starts at the genesis hash and links every line to the one before', () => {
    const log = appendChained('', 5);
    const [first, second] = lines(log).map((line) => JSON.parse(line));
    assert.equal(first.prev_hash, GENESIS_HASH);
    assert.equal(second.prev_hash, lineHash(Buffer.from(lines(log)[0]!)));
    assert.deepEqual(verify(log), {
      ok: true,
      lines: 5,
      legacyLines: 0,
      tornLines: [],
      lastHash: lineHash(Buffer.from(lines(log)[4]!)),
      missingAnchors: [],
    });
  });

  it('finds an edited field at the next line', () => {
    const edited = lines(appendChained('', 5));
    edited[2] = edited[2]!.replace('"success":true', '"success":false');
    const { line, reason } = brokenAt(text(edited));
    assert.equal(line, 4);
    assert.match(reason, /does not match line 3: line 3 was edited/);
  });

  it('finds a deleted line where it was', () => {
    const deleted = lines(appendChained('', 5));
    deleted.splice(2, 1);
    assert.equal(brokenAt(text(deleted)).line, 3);
  });

  it('finds reordered lines at the first moved one', () => {
    const reordered = lines(appendChained('', 5));
    [reordered[1], reordered[2]] = [reordered[2]!, reordered[1]!];
    assert.equal(brokenAt(text(reordered)).line, 2);
  });

  it('finds a forged line, even one chained to the line before it, at the line after it', () => {
    const log = lines(appendChained('', 5));
    const forged = JSON.stringify({ operation: 'forged', prev_hash: lineHash(Buffer.from(log[1]!)) });
    log.splice(2, 0, forged);
    assert.equal(brokenAt(text(log)).line, 4);
    const unchained = lines(appendChained('', 5));
    unchained.splice(2, 0, JSON.stringify({ operation: 'forged' }));
    const { line, reason } = brokenAt(text(unchained));
    assert.equal(line, 3);
    assert.match(reason, /no prev_hash, but the chain started before it/);
  });

  it('finds lines removed from the start at line 1', () => {
    const { line, reason } = brokenAt(text(lines(appendChained('', 5)).slice(2)));
    assert.equal(line, 1);
    assert.match(reason, /lines before it were removed/);
  });

  it('finds a log cut mid-line at its last line', () => {
    const log = appendChained('', 5);
    const { line, reason } = brokenAt(log.slice(0, -10));
    assert.equal(line, 5);
    assert.match(reason, /incomplete \(no newline\)/);
  });

  it('cannot see whole lines cut off the end, but an anchor recorded before can', () => {
    const log = appendChained('', 5);
    const anchor = lineHash(Buffer.from(lines(log)[4]!));
    const cut = text(lines(log).slice(0, 3));
    assert.equal(verify(cut).ok, true, 'a shorter chain is still a valid chain');
    assert.deepEqual(verify(cut, [anchor]), { ...verify(cut), missingAnchors: [anchor] });
    const grown = appendChained(log, 3, 6);
    assert.deepEqual(verify(grown, [anchor]), { ...verify(grown), missingAnchors: [] });
  });

  it('counts lines written before the chain and verifies from where it starts, covering the last of them', () => {
    const legacy = text([JSON.stringify({ operation: 'old-1' }), JSON.stringify({ operation: 'old-2' })]);
    const log = appendChained(legacy, 3);
    assert.deepEqual(verify(log), {
      ok: true,
      lines: 5,
      legacyLines: 2,
      tornLines: [],
      lastHash: lineHash(Buffer.from(lines(log)[4]!)),
      missingAnchors: [],
    });
    assert.equal(brokenAt(log.replace('old-2', 'old-X')).line, 3);
  });

  it('accepts a torn line a writer left only once the next line chained over it', () => {
    const torn = `${appendChained('', 3)}{"operation":"op-4","succ`;
    assert.equal(brokenAt(torn).line, 4, 'until then it reads as a cut');
    const sealed = appendChained(torn, 2, 5);
    assert.deepEqual(verify(sealed), {
      ok: true,
      lines: 6,
      legacyLines: 0,
      tornLines: [4],
      lastHash: lineHash(Buffer.from(lines(sealed)[5]!)),
      missingAnchors: [],
    });
    assert.equal(brokenAt(sealed.replace('"succ\n', '"suck\n')).line, 5);
  });

  it('refuses a line that is not JSON and that no writer chained over', () => {
    const { line, reason } = brokenAt(`${appendChained('', 3)}not json\n`);
    assert.equal(line, 4);
    assert.match(reason, /not a JSON audit line, and no line after it chained over it/);
  });

  it('verifies an empty log', () => {
    assert.deepEqual(verify(''), {
      ok: true,
      lines: 0,
      legacyLines: 0,
      tornLines: [],
      lastHash: GENESIS_HASH,
      missingAnchors: [],
    });
  });
});
