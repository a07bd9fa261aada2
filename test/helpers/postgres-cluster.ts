import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { waitUntil } from '../../scripts/wait-until.js';
import { freePort } from './product-process.js';

const run = promisify(execFile);

export interface PostgresCluster {
  host: string;
  port: number;
  /** One SQL statement's single value, through psql as the superuser. */
  query(database: string, sql: string): Promise<string>;
  stop(): Promise<void>;
}

/** The OS user the server runs as: postgres refuses root, so root hands it to Debian's `postgres` (or `nobody`). */
async function serverUser(): Promise<{ uid: number; gid: number } | null> {
  if (process.getuid?.() !== 0) return null;
  for (const name of ['postgres', 'nobody']) {
    const ids = await Promise.all([run('id', ['-u', name]), run('id', ['-g', name])]).catch(() => null);
    if (ids) return { uid: Number(ids[0].stdout.trim()), gid: Number(ids[1].stdout.trim()) };
  }
  throw new Error('running as root, and neither a postgres nor a nobody user exists to run PostgreSQL as');
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * A fresh PostgreSQL cluster in a mkdtemp folder, on a free loopback port, with the superuser and password the
 * postgres image makes from POSTGRES_USER and POSTGRES_PASSWORD (password required over TCP, as in the image).
 */
export async function startPostgresCluster(
  bin: string,
  superuser: { name: string; password: string },
  /** Seconds per step, filled in: initdb, postgres_start. */
  timings: Record<string, number> = {},
): Promise<PostgresCluster> {
  const folder = await mkdtemp(join(tmpdir(), 'deploy-orchestrator-postgres-'));
  const data = join(folder, 'data');
  const passwordFile = join(folder, 'password');
  await writeFile(passwordFile, superuser.password, { mode: 0o600 });
  const user = await serverUser();
  if (user) {
    await chown(folder, user.uid, user.gid);
    await chown(passwordFile, user.uid, user.gid);
  }
  const asUser = user ?? {};
  let startedAt = Date.now();
  await run(
    join(bin, 'initdb'),
    [
      `--pgdata=${data}`,
      `--username=${superuser.name}`,
      `--pwfile=${passwordFile}`,
      '--auth-local=trust',
      '--auth-host=scram-sha-256',
      '--encoding=UTF8',
      '--no-sync',
    ],
    { ...asUser, cwd: folder },
  );
  timings.initdb = (Date.now() - startedAt) / 1000;

  startedAt = Date.now();
  const host = '127.0.0.1';
  const port = await freePort();
  const server = spawn(
    join(bin, 'postgres'),
    ['-D', data, '-p', String(port), '-c', `listen_addresses=${host}`, '-c', `unix_socket_directories=${folder}`],
    { ...asUser, cwd: folder, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  server.stderr?.on('data', (chunk: Buffer) => {
    log += chunk.toString();
  });
  const client = async (program: string, args: string[]) => {
    const { stdout } = await run(join(bin, program), ['--host', host, '--port', String(port), ...args], {
      env: { ...process.env, PGPASSWORD: superuser.password },
    });
    return stdout;
  };
  const query = async (database: string, sql: string) =>
    (
      await client('psql', [
        `--username=${superuser.name}`,
        `--dbname=${database}`,
        '--tuples-only',
        '--no-align',
        `--command=${sql}`,
      ])
    ).trim();
  const stop = async () => {
    // SIGINT is PostgreSQL's fast shutdown: it ends open sessions instead of waiting for them.
    server.kill('SIGINT');
    await exited(server);
    await rm(folder, { recursive: true, force: true });
  };
  try {
    // The compose file's health check for the postgres service.
    await waitUntil(
      () => client('pg_isready', [`--username=${superuser.name}`, '--dbname=postgres']).then(() => true),
      {
        what: 'PostgreSQL accepting connections',
        timeoutMs: 60_000,
        intervalMs: 200,
        abandon: () => (server.exitCode === null ? null : `postgres exited with code ${server.exitCode}: ${log}`),
      },
    );
  } catch (error) {
    await stop();
    throw error;
  }
  timings.postgres_start = (Date.now() - startedAt) / 1000;
  return { host, port, query, stop };
}
