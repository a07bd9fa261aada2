// `npm run audit:verify -- [path] [--anchor <sha256>]...`: checks an audit log's hash chain (domain/audit-chain.ts).
// The path defaults to DEPLOYMENT_AUDIT_LOG, then /var/log/scheduler/deployments.log. Exit code 0: the chain holds
// (and every anchor is in it); 1: it does not, with the first bad line and why; 2: bad arguments or unreadable file.
import { createReadStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_AUDIT_LOG } from '../domain/audit.js';
import { type ChainResult, chainVerifier, logLines } from '../domain/audit-chain.js';

const USAGE = 'usage: npm run audit:verify -- [path] [--anchor <sha256 hex of a line, from an earlier run>]...';

function usageError(problem: string): never {
  console.error(`${problem}\n${USAGE}`);
  process.exit(2);
}

function parseCommandLine() {
  try {
    const { values, positionals } = parseArgs({
      options: { anchor: { type: 'string', multiple: true } },
      allowPositionals: true,
    });
    if (positionals.length > 1) usageError(`one log at a time (got ${positionals.length} paths)`);
    const anchors = values.anchor ?? [];
    const bad = anchors.find((anchor) => !/^[0-9a-f]{64}$/.test(anchor));
    if (bad !== undefined)
      usageError(
        `--anchor must be a line hash as printed by an earlier run (64 hex digits), got ${JSON.stringify(bad)}`,
      );
    return { path: positionals[0] || process.env.DEPLOYMENT_AUDIT_LOG || DEFAULT_AUDIT_LOG, anchors };
  } catch (error) {
    usageError(error instanceof Error ? error.message : String(error));
  }
}

/** Streams the file through the verifier, so a log of any size is checked in constant memory. */
async function verifyFile(path: string, anchors: string[]): Promise<ChainResult> {
  const verifier = chainVerifier(anchors);
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of createReadStream(path)) {
    const data = Buffer.concat([carry, chunk as Buffer]);
    carry = Buffer.alloc(0);
    for (const line of logLines(data)) {
      if (line.terminated) verifier.add(line);
      else carry = Buffer.from(line.bytes);
    }
  }
  if (carry.length > 0) verifier.add({ bytes: carry, terminated: false });
  return verifier.result();
}

const { path, anchors } = parseCommandLine();
let result: ChainResult;
try {
  result = await verifyFile(path, anchors);
} catch (error) {
  console.error(`Cannot read the audit log ${path}: ${(error as { code?: string }).code ?? String(error)}`);
  process.exit(2);
}

if (!result.ok) {
  console.log(`TAMPERED: ${path}: line ${result.line}: ${result.reason}`);
  process.exit(1);
}
if (result.missingAnchors.length > 0) {
  for (const anchor of result.missingAnchors) {
    console.log(`TAMPERED: ${path}: no line has the anchored hash ${anchor}: the log was cut before that line`);
  }
  process.exit(1);
}
const notes = [
  result.legacyLines > 0 &&
    `the first ${result.legacyLines} lines predate the chain and are not covered, the chain holds from line ${result.legacyLines + 1}`,
  result.tornLines.length > 0 &&
    `torn lines left by a writer that died mid-write, sealed by the next line: ${result.tornLines.join(', ')}`,
  anchors.length > 0 && `all ${anchors.length} anchors found`,
].filter(Boolean);
console.log(
  `OK: ${path}: ${result.lines} line${result.lines === 1 ? '' : 's'}, chain intact${notes.map((note) => `; ${note}`).join('')}`,
);
console.log(`last line hash: ${result.lastHash}`);
console.log(
  'Cutting lines off the end leaves a valid chain: record this hash elsewhere and pass it later as --anchor to show that nothing up to this line was cut.',
);
