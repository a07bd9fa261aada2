import { type FileHandle, mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AuditEntry } from '../../domain/audit.js';
import { holdsLastLine, nextLink } from '../../domain/audit-chain.js';
import { ConfigError } from '../../domain/config.js';
import { DEFAULT_LOCK_OPTIONS, type LockOptions, withFileLock } from './file-lock.js';

/** How far back a keyed line is looked for: far more than a retried activity can be behind. */
const DEDUPE_WINDOW_BYTES = 256 * 1024;

/** A configuration problem: the process cannot do its job until the path or its permissions change. */
export class AuditLogUnwritableError extends ConfigError {
  constructor(path: string, cause: unknown) {
    const code = (cause as { code?: string }).code ?? (cause instanceof Error ? cause.message : String(cause));
    super([
      `DEPLOYMENT_AUDIT_LOG: the audit log ${path} (or its lock file beside it) cannot be written (${code}). Every deployment operation must be audited, so nothing starts ` +
        `until it can be: create it with \`sudo mkdir -p ${dirname(path)} && sudo chown $(id -u) ${dirname(path)}\`, ` +
        'or point DEPLOYMENT_AUDIT_LOG at a writable file (e.g. DEPLOYMENT_AUDIT_LOG=$PWD/.data/deployments.log)',
    ]);
    this.name = 'AuditLogUnwritableError';
  }
}

export interface AuditLog {
  readonly path: string;
  /**
   * Appends one JSON line chained to the line before it (`prev_hash`, see domain/audit-chain.ts). With a `key`, a
   * line already written under that key (a retried activity's) is not written again, so each step leaves exactly one
   * line.
   */
  append(entry: AuditEntry, key?: string): Promise<void>;
}

/** Writers of one log, in any process or container sharing its folder, take turns through this file. */
export function auditLockPath(path: string): string {
  return `${path}.lock`;
}

/** The log's last bytes: the dedupe window, grown until it holds the last line whole so it can be hashed. */
async function readTail(file: FileHandle, size: number): Promise<Buffer> {
  for (let length = Math.min(size, DEDUPE_WINDOW_BYTES); ; length = Math.min(size, length * 2)) {
    const tail = Buffer.alloc(length);
    await file.read(tail, 0, length, size - length);
    if (holdsLastLine(tail, length === size)) return tail;
  }
}

async function appendChained(path: string, entry: AuditEntry, key: string | undefined): Promise<void> {
  const file = await open(path, 'a+', 0o640);
  try {
    const tail = await readTail(file, (await file.stat()).size);
    if (key !== undefined && tail.includes(JSON.stringify({ audit_id: key }).slice(1, -1))) return;
    const { prevHash, sealTornLine } = nextLink(tail);
    const line = JSON.stringify({ ...entry, ...(key === undefined ? {} : { audit_id: key }), prev_hash: prevHash });
    // One write call per line (O_APPEND). A torn line, left by a writer that died mid-write or by a short write, is
    // closed first and stays covered by this line's hash; its step was never acknowledged, so its retry writes it.
    const bytes = Buffer.from(`${sealTornLine ? '\n' : ''}${line}\n`);
    const { bytesWritten } = await file.write(bytes);
    if (bytesWritten !== bytes.length) {
      throw new Error(`Audit log ${path}: short write (${bytesWritten} of ${bytes.length} bytes)`);
    }
    // Data and size, before the lock goes: a line the next writer chains off is on disk.
    await file.datasync();
  } finally {
    await file.close();
  }
}

/** Makes sure the log and its lock can be written, creating its folder; throws the fix when they cannot. */
export async function ensureAuditLogWritable(path: string): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
    await withFileLock(auditLockPath(path), DEFAULT_LOCK_OPTIONS, async () => {
      const file = await open(path, 'a', 0o640);
      await file.close();
    });
  } catch (error) {
    throw new AuditLogUnwritableError(path, error);
  }
}

/**
 * The audit log at `path`. Reading the last line, the dedupe check and the append happen under one lock shared by all
 * writers, so no two lines chain off the same line and no retried step is written twice.
 */
export function createAuditLog(path: string, lock: LockOptions = DEFAULT_LOCK_OPTIONS): AuditLog {
  // One append at a time per process: the lock file is for other processes, not for this one's own queue.
  let queue: Promise<void> = Promise.resolve();
  return {
    path,
    append(entry, key) {
      const next = queue.then(() => withFileLock(auditLockPath(path), lock, () => appendChained(path, entry, key)));
      queue = next.catch(() => undefined);
      return next;
    },
  };
}
