import { mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AuditEntry } from '../../domain/audit.js';
import { ConfigError } from '../../domain/config.js';

/** How far back a keyed line is looked for: far more than a retried activity can be behind. */
const DEDUPE_WINDOW_BYTES = 256 * 1024;

/** A configuration problem: the process cannot do its job until the path or its permissions change. */
export class AuditLogUnwritableError extends ConfigError {
  constructor(path: string, cause: unknown) {
    const code = (cause as { code?: string }).code ?? (cause instanceof Error ? cause.message : String(cause));
    super([
      `DEPLOYMENT_AUDIT_LOG: the audit log ${path} cannot be written (${code}). Every deployment operation must be audited, so nothing starts ` +
        `until it can be: create it with \`sudo mkdir -p ${dirname(path)} && sudo chown $(id -u) ${dirname(path)}\`, ` +
        'or point DEPLOYMENT_AUDIT_LOG at a writable file (e.g. DEPLOYMENT_AUDIT_LOG=$PWD/.data/deployments.log)',
    ]);
    this.name = 'AuditLogUnwritableError';
  }
}

export interface AuditLog {
  readonly path: string;
  /**
   * Appends one JSON line. With a `key`, a line already written under that key (a retried activity's) is not written
   * again, so each step leaves exactly one line.
   */
  append(entry: AuditEntry, key?: string): Promise<void>;
}

async function tailContains(path: string, needle: string): Promise<boolean> {
  const file = await open(path, 'r').catch((error: { code?: string }) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (!file) return false;
  try {
    const { size } = await file.stat();
    const length = Math.min(size, DEDUPE_WINDOW_BYTES);
    const buffer = Buffer.alloc(length);
    await file.read(buffer, 0, length, size - length);
    return buffer.toString('utf8').includes(needle);
  } finally {
    await file.close();
  }
}

/** Makes sure the log can be appended to, creating its folder; throws the fix when it cannot. */
export async function ensureAuditLogWritable(path: string): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
    const file = await open(path, 'a', 0o640);
    await file.close();
  } catch (error) {
    throw new AuditLogUnwritableError(path, error);
  }
}

export function createAuditLog(path: string): AuditLog {
  // One write at a time per process, so a keyed check and its write are not interleaved with another.
  let queue: Promise<void> = Promise.resolve();
  const write = async (entry: AuditEntry, key?: string) => {
    const line = JSON.stringify(key === undefined ? entry : { ...entry, audit_id: key });
    if (key !== undefined && (await tailContains(path, JSON.stringify({ audit_id: key }).slice(1, -1)))) return;
    const file = await open(path, 'a', 0o640);
    try {
      // One write call per line: O_APPEND keeps concurrent writers' lines whole.
      await file.write(`${line}\n`);
      await file.sync();
    } finally {
      await file.close();
    }
  };
  return {
    path,
    append(entry, key) {
      const next = queue.then(() => write(entry, key));
      queue = next.catch(() => undefined);
      return next;
    },
  };
}
