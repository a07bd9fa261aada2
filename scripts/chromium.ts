// Debian's Chromium for the dashboard's browser test, installed with apt-get when missing and running as root.
import { ensureDebianPackage } from './debian-package.js';
import { executable } from './temporal-binaries.js';

const CHROMIUM = '/usr/bin/chromium';

/** Chromium's path, installing Debian's `chromium` first when it is missing and we run as root. */
export async function ensureChromium(
  log: (line: string) => void = console.error,
): Promise<{ path: string } | { missing: string }> {
  const outcome = await ensureDebianPackage(
    {
      packageName: 'chromium',
      programs: [CHROMIUM],
      find: async () => ((await executable(CHROMIUM)) ? CHROMIUM : null),
    },
    log,
  );
  return 'found' in outcome ? { path: outcome.found } : outcome;
}
