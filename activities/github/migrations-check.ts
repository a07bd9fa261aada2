import { performance } from 'node:perf_hooks';
import { type CheckOutcome, outcome } from '../../domain/check.js';
import type { DeployedVersion } from '../../domain/deployed-version.js';
import type { Environment } from '../../domain/environment.js';
import {
  type DestructiveMigrationPolicy,
  destructiveMigrationPolicy,
  findDestructiveStatements,
} from '../../domain/migration-policy.js';
import { CHECK_NAMES } from '../../domain/validation.js';
import { elapsedMs } from '../elapsed.js';
import type { GitHubRepo } from './client.js';
import { withGitHubErrors } from './errors.js';
import { filesUnderFolderAt, readBlobText } from './repository-files.js';

export interface MigrationsSettings {
  migrationsPath: string;
  destructiveMigrations: DestructiveMigrationPolicy | undefined;
}

interface MigrationFile {
  path: string;
  blobSha: string;
  /** The file's text when the diff already holds all of it (a new file), so it need not be fetched. */
  text: string | null;
}

interface MigrationChanges {
  baseline: { sha: string; ref: string } | null;
  changed: MigrationFile[];
  removed: string[];
  behindBy: number;
}

/** A new file's whole text, from its patch (every line added); null when GitHub left the patch out. */
function addedFileText(file: { status: string; patch?: string }): string | null {
  if (file.status !== 'added' || file.patch === undefined) return null;
  return file.patch
    .split('\n')
    .filter((line) => line.startsWith('+'))
    .map((line) => line.slice(1))
    .join('\n');
}

/**
 * The migration files that differ between what the environment runs and the ref, from the migrations folder's git
 * trees at both commits: the compare API lists only the first 300 changed files of a diff, so it cannot say which
 * migrations changed. The comparison still tells whether the ref is behind, and its patches spare fetching new files.
 */
async function migrationChanges(github: GitHubRepo, deployed: DeployedVersion, sha: string, folder: string) {
  const baseline = deployed.current;
  const readAtRef = filesUnderFolderAt(github, folder, sha);
  if (!baseline) {
    // Nothing recorded as deployed: every migration at the ref would run.
    const atRef = await readAtRef;
    return {
      baseline: null,
      changed: [...atRef].map(([path, blobSha]) => ({ path, blobSha, text: null })),
      removed: [],
      behindBy: 0,
    } satisfies MigrationChanges;
  }
  const [atRef, atBaseline, { data: comparison }] = await Promise.all([
    readAtRef,
    filesUnderFolderAt(github, folder, baseline.sha),
    github.octokit.rest.repos.compareCommitsWithBasehead({
      owner: github.owner,
      repo: github.repo,
      basehead: `${baseline.sha}...${sha}`,
    }),
  ]);
  const listedInDiff = new Map((comparison.files ?? []).map((file) => [file.filename, file]));
  return {
    baseline: { sha: baseline.sha, ref: baseline.ref },
    changed: [...atRef]
      .filter(([path, blobSha]) => atBaseline.get(path) !== blobSha)
      .map(([path, blobSha]) => {
        const listed = listedInDiff.get(path);
        return { path, blobSha, text: listed ? addedFileText(listed) : null };
      }),
    removed: [...atBaseline.keys()].filter((path) => !atRef.has(path)),
    behindBy: comparison.behind_by,
  } satisfies MigrationChanges;
}

export function migrationsCheckActivities(github: GitHubRepo, settings: MigrationsSettings) {
  return {
    /** Migrations the ref would apply on top of what the environment runs now, read for destructive statements. */
    async checkMigrationsSafe(input: {
      environment: Environment;
      sha: string;
      deployed: DeployedVersion;
    }): Promise<CheckOutcome> {
      const startedAt = performance.now();
      const folder = settings.migrationsPath;
      const { changes, destructive } = await withGitHubErrors(`reading migrations under ${folder}`, async () => {
        const changes = await migrationChanges(github, input.deployed, input.sha, folder);
        const texts = await Promise.all(changes.changed.map((file) => file.text ?? readBlobText(github, file.blobSha)));
        const destructive = changes.changed.flatMap((file, index) =>
          findDestructiveStatements(file.path, texts[index] ?? ''),
        );
        return { changes: { ...changes, changed: changes.changed.map((file) => file.path) }, destructive };
      });
      const policy = destructiveMigrationPolicy(input.environment, settings.destructiveMigrations);
      const details = { ...changes, migrations_path: folder, destructive, policy };
      const against = changes.baseline
        ? `since ${changes.baseline.ref} (${changes.baseline.sha.slice(0, 7)}), what ${input.environment} runs`
        : `(no successful ${input.environment} deployment recorded, so all of them)`;
      const warnings: string[] = [];
      if (changes.behindBy > 0 || changes.removed.length > 0) {
        warnings.push(
          `${CHECK_NAMES.migrations}: this ref is behind what ${input.environment} runs; migrations applied since are not reverted by deploying it`,
        );
      }
      const base = {
        check_name: CHECK_NAMES.migrations,
        details,
        duration_ms: input.deployed.lookup_ms + elapsedMs(startedAt),
      };
      if (destructive.length > 0) {
        const list = destructive.map((found) => `${found.path}:${found.line} ${found.what}`).join('; ');
        const message = `${destructive.length} destructive migration statement(s) ${against}: ${list}`;
        if (policy === 'block') {
          return outcome({ ...base, status: 'failed', message }, [`${CHECK_NAMES.migrations}: ${message}`], warnings);
        }
        return outcome(
          { ...base, status: 'warning', message },
          [],
          [...warnings, `${CHECK_NAMES.migrations}: ${message}`],
        );
      }
      const message = `${changes.changed.length} migration(s) ${against}, none destructive`;
      return outcome({ ...base, status: warnings.length > 0 ? 'warning' : 'passed', message }, [], warnings);
    },
  };
}
