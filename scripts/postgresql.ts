// PostgreSQL for the team stack outside Docker: Debian's server binaries, installed with apt-get when missing and
// this process may (root, as CI runs). An ordinary user cannot install them, and is told exactly what to install.
import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { executable, onPath } from './temporal-binaries.js';

const run = promisify(execFile);

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

const aptGet = (args: string[]) =>
  run('apt-get', args, { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, maxBuffer: 64 * 1024 * 1024 });

/** The PostgreSQL binaries, installing Debian's `postgresql` first when they are missing and we run as root. */
export async function ensurePostgresBinaries(log: (line: string) => void = console.error): Promise<PostgresOutcome> {
  const found = await findPostgresBinaries();
  if (found) return { bin: found };
  const missing =
    "PostgreSQL's server binaries (initdb, postgres, pg_isready): install Debian's package as root with `apt-get install -y postgresql`";
  if (process.getuid?.() !== 0 || !(await onPath('apt-get'))) return { missing };
  log("installing Debian's postgresql package with apt-get (first run on this machine only)");
  // A fresh machine's package lists may be empty or stale: update once and retry before giving up.
  await aptGet(['install', '-y', '--no-install-recommends', 'postgresql']).catch(async () => {
    await aptGet(['update']);
    await aptGet(['install', '-y', '--no-install-recommends', 'postgresql']);
  });
  const installed = await findPostgresBinaries();
  if (!installed) throw new Error(`apt-get installed postgresql, but ${PROGRAMS.join(', ')} are still not found`);
  return { bin: installed };
}
