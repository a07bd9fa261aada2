// Debian's Chromium for the dashboard's browser test, installed with apt-get when missing and running as root (as
// scripts/postgresql.ts does for PostgreSQL; a minimal copy of its install step until the two share one helper).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { executable, onPath } from './temporal-binaries.js';

const run = promisify(execFile);
const CHROMIUM = '/usr/bin/chromium';

const aptGet = (args: string[]) =>
  run('apt-get', args, { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, maxBuffer: 64 * 1024 * 1024 });

/** Chromium's path, installing Debian's `chromium` first when it is missing and we run as root. */
export async function ensureChromium(
  log: (line: string) => void = console.error,
): Promise<{ path: string } | { missing: string }> {
  if (await executable(CHROMIUM)) return { path: CHROMIUM };
  const missing = "Chromium (/usr/bin/chromium): install Debian's package as root with `apt-get install -y chromium`";
  if (process.getuid?.() !== 0 || !(await onPath('apt-get'))) return { missing };
  log("installing Debian's chromium package with apt-get (first run on this machine only)");
  await aptGet(['install', '-y', '--no-install-recommends', 'chromium']).catch(async () => {
    await aptGet(['update']);
    await aptGet(['install', '-y', '--no-install-recommends', 'chromium']);
  });
  if (!(await executable(CHROMIUM))) throw new Error(`apt-get installed chromium, but ${CHROMIUM} is still missing`);
  return { path: CHROMIUM };
}
