// A program some test tier needs from Debian (PostgreSQL, Prometheus, Chromium, ...): found where it is, installed
// with apt-get when missing and this process may (root, as CI runs); an ordinary user is told exactly what to install.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { onPath } from './temporal-binaries.js';

const run = promisify(execFile);

export interface DebianPackage {
  /** The Debian package that provides the programs. */
  packageName: string;
  /** The programs the caller runs, named in the "missing" line. */
  programs: readonly string[];
  /** Where the programs are on this machine (whatever the caller needs: a folder, a path), or null. */
  find(): Promise<string | null>;
}

export type PackageOutcome = { found: string } | { missing: string };

// Another apt-get (an unattended upgrade, a second test tier) may hold dpkg's lock for a while: wait for it.
const aptGet = (args: string[]) =>
  run('apt-get', ['-o', 'DPkg::Lock::Timeout=600', ...args], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    maxBuffer: 64 * 1024 * 1024,
  });

/** The package's programs, installing the package first when they are missing and we run as root with apt-get. */
export async function ensureDebianPackage(
  wanted: DebianPackage,
  log: (line: string) => void = console.error,
): Promise<PackageOutcome> {
  const found = await wanted.find();
  if (found) return { found };
  const missing = `${wanted.programs.join(', ')} (Debian's ${wanted.packageName}): install it as root with \`apt-get install -y ${wanted.packageName}\``;
  if (process.getuid?.() !== 0 || !(await onPath('apt-get'))) return { missing };
  log(`installing Debian's ${wanted.packageName} package with apt-get (first run on this machine only)`);
  const install = ['install', '-y', '--no-install-recommends', wanted.packageName];
  // A fresh machine's package lists may be empty or stale: update once and retry before giving up.
  await aptGet(install).catch(async () => {
    await aptGet(['update']);
    await aptGet(install);
  });
  const installed = await wanted.find();
  if (!installed) {
    throw new Error(`apt-get installed ${wanted.packageName}, but ${wanted.programs.join(', ')} are still not found`);
  }
  return { found: installed };
}
