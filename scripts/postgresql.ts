// PostgreSQL for the team stack outside Docker: Debian's server binaries, installed with apt-get when missing and
// this process may (root, as CI runs). An ordinary user cannot install them, and is told exactly what to install.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureDebianPackage } from './debian-package.js';
import { executable, onPath } from './temporal-binaries.js';

/** What the stack runs: initdb makes the cluster, postgres serves it, pg_isready is the compose health check. */
const PROGRAMS = ['initdb', 'postgres', 'pg_isready'] as const;
/** Debian keeps the server binaries off PATH, one folder per major version. */
const DEBIAN_VERSIONS = '/usr/lib/postgresql';

async function hasPrograms(folder: string): Promise<boolean> {
  for (const program of PROGRAMS) if (!(await executable(join(folder, program)))) return false;
  return true;
}

/** The folder with initdb, postgres and pg_isready: beside initdb on PATH, else Debian's newest version. */
export async function findPostgresBinaries(): Promise<string | null> {
  const initdb = await onPath('initdb');
  const candidates = initdb ? [join(initdb, '..')] : [];
  const versions = await readdir(DEBIAN_VERSIONS).catch(() => [] as string[]);
  versions.sort((a, b) => Number(b) - Number(a));
  candidates.push(...versions.map((version) => join(DEBIAN_VERSIONS, version, 'bin')));
  for (const folder of candidates) if (await hasPrograms(folder)) return folder;
  return null;
}

export type PostgresOutcome = { bin: string } | { missing: string };

/** The PostgreSQL binaries, installing Debian's `postgresql` first when they are missing and we run as root. */
export async function ensurePostgresBinaries(log: (line: string) => void = console.error): Promise<PostgresOutcome> {
  const outcome = await ensureDebianPackage(
    { packageName: 'postgresql', programs: PROGRAMS, find: findPostgresBinaries },
    log,
  );
  return 'found' in outcome ? { bin: outcome.found } : outcome;
}
