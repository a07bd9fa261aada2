// The team stack's Temporal server and temporal-sql-tool, at the release docker-compose.yml pins, built from the Go
// module proxy (no Docker engine here) into a project-local folder keyed by that release: only the first run pays
// the build (a few minutes on two cores); later runs, and any run after a release bump's first, find the binaries.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { executable, onPath, PROJECT_ROOT } from './temporal-binaries.js';

const run = promisify(execFile);

/** Gitignored; one folder per Temporal release, so raising the pinned tag builds beside the old binaries. */
export const TEAM_STACK_CACHE = join(PROJECT_ROOT, '.team-stack');

/** The temporalio/server image tag in docker-compose.yml: the one release the stack runs. */
export function pinnedServerRelease(): string {
  const compose = readFileSync(join(PROJECT_ROOT, 'docker-compose.yml'), 'utf8');
  const tag = compose.match(/^\s*image:\s*temporalio\/server:(\S+)\s*$/m)?.[1];
  if (!tag) throw new Error('docker-compose.yml: no temporalio/server:<release> image to build');
  return tag;
}

export interface TemporalServerBinaries {
  release: string;
  /** The folder holding both, named as in the official images (put it first on PATH for deploy/temporal/*.sh). */
  folder: string;
  server: string;
  sqlTool: string;
}

/** What `go install` names each package's binary, and the name the official images give it. */
const PACKAGES = [
  { path: 'go.temporal.io/server/cmd/server', built: 'server', named: 'temporal-server' },
  { path: 'go.temporal.io/server/cmd/tools/sql', built: 'sql', named: 'temporal-sql-tool' },
] as const;

function binariesOf(release: string): TemporalServerBinaries {
  const folder = join(TEAM_STACK_CACHE, `temporal-v${release}`, 'bin');
  return { release, folder, server: join(folder, 'temporal-server'), sqlTool: join(folder, 'temporal-sql-tool') };
}

/** The cached binaries of the pinned release, or null when they were never built here. */
export async function findTemporalServerBinaries(
  release = pinnedServerRelease(),
): Promise<TemporalServerBinaries | null> {
  const binaries = binariesOf(release);
  return (await executable(binaries.server)) && (await executable(binaries.sqlTool)) ? binaries : null;
}

export type BuildOutcome = { binaries: TemporalServerBinaries } | { missing: string };

/**
 * The cached binaries, building them first when missing. Without a Go toolchain the outcome says what is missing;
 * a build that fails (no module proxy, a compile error) throws with go's own output.
 */
export async function ensureTemporalServerBinaries(log: (line: string) => void = console.error): Promise<BuildOutcome> {
  const release = pinnedServerRelease();
  const cached = await findTemporalServerBinaries(release);
  if (cached) return { binaries: cached };
  const go = await onPath('go');
  if (!go) {
    return { missing: `the Go toolchain ('go' on PATH), to build Temporal ${release} from the Go module proxy` };
  }
  const binaries = binariesOf(release);
  await mkdir(binaries.folder, { recursive: true });
  // Built into a scratch folder and moved in whole, so an interrupted build never leaves a half-cached release.
  const scratch = await mkdtemp(join(TEAM_STACK_CACHE, 'build-'));
  log(`building temporal-server and temporal-sql-tool ${release} from the Go module proxy (first run only)`);
  const startedAt = Date.now();
  try {
    await run(go, ['install', ...PACKAGES.map((each) => `${each.path}@v${release}`)], {
      // Static binaries: nothing to link against on the host. Go's module and build caches stay the user's own.
      env: { ...process.env, GOBIN: scratch, CGO_ENABLED: '0' },
      maxBuffer: 64 * 1024 * 1024,
    });
    for (const each of PACKAGES) await rename(join(scratch, each.built), join(binaries.folder, each.named));
  } catch (error) {
    const output = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`go install of Temporal ${release} failed: ${output.trim().split('\n').slice(-20).join('\n')}`);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  log(`built Temporal ${release} into ${binaries.folder} in ${Math.round((Date.now() - startedAt) / 1000)} s`);
  return { binaries };
}
