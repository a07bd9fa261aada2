import { randomUUID } from 'node:crypto';
import { readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * An exclusive lock between processes, possibly in other containers on a shared volume: a lock file created with
 * O_CREAT|O_EXCL that names its holder. Node has no flock, and a lock file also works where flock does not reach
 * (separate containers, network file systems). A holder that died (SIGKILL, OOM, a lost container) cannot block the
 * others for long: its lock is taken over at once when its pid is dead on this host, or when it is older than `staleMs`.
 */
export interface LockOptions {
  /** Older than this, a lock is taken over even if its holder may be alive: another host's, or a stuck process's. */
  staleMs: number;
  /** How long to wait for the lock before failing. Longer than `staleMs`, so a dead holder never makes a waiter fail. */
  timeoutMs: number;
}

/** A lock is held for one read-and-append with its fsync: milliseconds, so ten seconds means its holder is gone. */
export const DEFAULT_LOCK_OPTIONS: LockOptions = { staleMs: 10_000, timeoutMs: 30_000 };

const MAX_BACKOFF_MS = 50;

interface Holder {
  pid: number;
  host: string;
  token: string;
  acquired_at: string;
}

export class LockTimeoutError extends Error {
  constructor(lockPath: string, holder: string) {
    super(`Lock ${lockPath} not acquired in time: held by ${holder || 'a holder that left no details'}`);
    this.name = 'LockTimeoutError';
  }
}

function errorCode(error: unknown): string | undefined {
  return (error as { code?: string }).code;
}

async function tryCreate(lockPath: string): Promise<string | null> {
  const holder: Holder = {
    pid: process.pid,
    host: hostname(),
    token: randomUUID(),
    acquired_at: new Date().toISOString(),
  };
  try {
    await writeFile(lockPath, JSON.stringify(holder), { flag: 'wx', mode: 0o640 });
    return holder.token;
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return null;
    throw error;
  }
}

/** The lock's content and age, or null when it is gone. */
async function inspect(lockPath: string): Promise<{ content: string; ageMs: number } | null> {
  try {
    const [content, { mtimeMs }] = await Promise.all([readFile(lockPath, 'utf8'), stat(lockPath)]);
    return { content, ageMs: Date.now() - mtimeMs };
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return null;
    throw error;
  }
}

function parseHolder(content: string): Partial<Holder> {
  try {
    return JSON.parse(content) as Partial<Holder>;
  } catch {
    // A holder killed between creating the file and writing it: only the age rule applies.
    return {};
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) === 'EPERM';
  }
}

function isStale(content: string, ageMs: number, staleMs: number): boolean {
  if (ageMs > staleMs) return true;
  const { pid, host } = parseHolder(content);
  // Pids only mean something on their own host: another container's pid may be anything here.
  return host === hostname() && typeof pid === 'number' && !isAlive(pid);
}

async function removeIfUnchanged(path: string, content: string): Promise<void> {
  const now = await inspect(path);
  if (now?.content === content) await unlink(path).catch(() => undefined);
}

/**
 * Removes a stale lock. Breakers take a second lock first: without it, two waiters that saw the same stale lock could
 * each remove it, the second removing the lock the first had just created, and both would hold it.
 */
async function breakStaleLock(lockPath: string, staleContent: string, staleMs: number): Promise<boolean> {
  const breakPath = `${lockPath}.break`;
  const breakToken = await tryCreate(breakPath);
  if (breakToken === null) {
    const breaker = await inspect(breakPath);
    // A breaker holds its lock for two file operations; one that stays longer has died doing so.
    if (breaker && isStale(breaker.content, breaker.ageMs, staleMs))
      await removeIfUnchanged(breakPath, breaker.content);
    return false;
  }
  try {
    await removeIfUnchanged(lockPath, staleContent);
    return true;
  } finally {
    await release(breakPath, breakToken);
  }
}

async function release(lockPath: string, token: string): Promise<void> {
  const now = await inspect(lockPath);
  // Only our own lock: one that was taken over from us (we overran `staleMs`) belongs to its new holder.
  if (now && parseHolder(now.content).token === token) await unlink(lockPath).catch(() => undefined);
}

async function acquire(lockPath: string, { staleMs, timeoutMs }: LockOptions): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let backoffMs = 1;
  for (;;) {
    const token = await tryCreate(lockPath);
    if (token !== null) return token;
    const held = await inspect(lockPath);
    if (!held) continue;
    if (isStale(held.content, held.ageMs, staleMs) && (await breakStaleLock(lockPath, held.content, staleMs))) continue;
    if (Date.now() >= deadline) throw new LockTimeoutError(lockPath, held.content);
    await sleep(backoffMs * (0.5 + Math.random()));
    backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
  }
}

/** Runs `action` holding the lock at `lockPath`, and releases it after, whatever the outcome. */
export async function withFileLock<T>(lockPath: string, options: LockOptions, action: () => Promise<T>): Promise<T> {
  const token = await acquire(lockPath, options);
  try {
    return await action();
  } finally {
    await release(lockPath, token);
  }
}
