import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where a browser test saves screenshots: DASHBOARD_SCREENSHOTS_DIR when set (to keep them), else a fresh temp folder. */
export async function screenshotsFolder(prefix: string): Promise<string> {
  const wanted = process.env.DASHBOARD_SCREENSHOTS_DIR;
  if (!wanted) return mkdtemp(join(tmpdir(), prefix));
  await mkdir(wanted, { recursive: true });
  return wanted;
}
