// The compose stack's services outside Docker, each given the environment docker-compose.yml gives its container:
// what differs is only what a container network provides (service names and fixed ports become loopback and free
// ports, bind mounts become the project's files), and each difference is named where it is made.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Env } from '../../domain/config.js';
import { ensurePostgresBinaries } from '../../scripts/postgresql.js';
import { findTemporalBinaries, PROJECT_ROOT } from '../../scripts/temporal-binaries.js';
import { ensureTemporalServerBinaries, type TemporalServerBinaries } from '../../scripts/temporal-server-build.js';
import { waitUntil } from '../../scripts/wait-until.js';
import type { ComposeFile, Service } from './compose-file.js';

export function composeService(compose: ComposeFile, name: string): Service {
  const service = compose.services[name];
  if (!service) throw new Error(`docker-compose.yml has no service '${name}'`);
  return service;
}

/**
 * The service's environment as compose interpolated it, with `replaced` values for variables compose sets (each must
 * be set there, so a renamed variable fails here instead of silently diverging) and `added` ones compose leaves to
 * the image's defaults.
 */
export function serviceEnvironment(service: Service, replaced: Env = {}, added: Env = {}): Record<string, string> {
  const environment = Object.fromEntries(
    Object.entries(service.environment ?? {}).map(([name, value]) => [name, String(value ?? '')]),
  );
  for (const name of Object.keys(replaced)) {
    if (!(name in environment)) throw new Error(`${name} is not in the service's compose environment`);
  }
  for (const name of Object.keys(added)) {
    if (name in environment) throw new Error(`${name} is in the service's compose environment: replace it instead`);
  }
  return Object.fromEntries(
    Object.entries({ ...environment, ...replaced, ...added }).filter(
      (entry): entry is [string, string] => entry[1] !== undefined,
    ),
  );
}

/** A container path as the host sees it, through the service's bind mounts (`./host:/container[:ro]`). */
export function hostPath(service: Service, containerPath: string): string {
  for (const volume of service.volumes ?? []) {
    const [host, container] = volume.split(':');
    if (!host?.startsWith('./') || !container) continue;
    if (containerPath === container) return join(PROJECT_ROOT, host);
    if (containerPath.startsWith(`${container}/`)) {
      return join(PROJECT_ROOT, host, containerPath.slice(container.length + 1));
    }
  }
  return containerPath;
}

export interface JobRun {
  code: number | null;
  output: string;
  seconds: number;
}

/** A one-shot compose job: its entrypoint and command, paths mapped through its mounts, with `PATH` for its tools. */
export async function runComposeJob(service: Service, env: Record<string, string>, path: string): Promise<JobRun> {
  const [program, ...args] = [...(service.entrypoint ?? []), ...(service.command ?? [])].map((part) =>
    hostPath(service, part),
  );
  if (!program) throw new Error('the job has no entrypoint or command');
  const startedAt = Date.now();
  const child = spawn(program, args, { env: { PATH: path, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  // 'close', not 'exit': the job's last lines are read before its code is returned.
  const code = await new Promise<number | null>((resolve) => child.once('close', (exitCode) => resolve(exitCode)));
  return { code, output, seconds: (Date.now() - startedAt) / 1000 };
}

/** Temporal's SQL schema keeps membership ports as SMALLINT: above 32767 (where ephemeral ports start) it fails. */
const HIGHEST_SERVER_PORT = 32_767;

/** A loopback port free right now, below the ephemeral range (which `freePort` draws from). */
async function freeLowPort(taken: Set<number>): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * (HIGHEST_SERVER_PORT - 20_000));
    if (taken.has(port)) continue;
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error(`no free loopback port found between 20000 and ${HIGHEST_SERVER_PORT}`);
}

/**
 * The ports the server image listens on by default (its embedded config template's `*_PORT` variables), moved to
 * free loopback ports: this machine runs other servers, and a restarted server must come back on the same ones.
 */
export async function temporalServerPorts(): Promise<Record<string, string>> {
  const names = ['FRONTEND', 'HISTORY', 'MATCHING', 'WORKER'].flatMap((role) => [
    `${role}_GRPC_PORT`,
    `${role}_MEMBERSHIP_PORT`,
  ]);
  const taken = new Set<number>();
  const ports: Record<string, string> = {};
  for (const name of [...names, 'FRONTEND_HTTP_PORT']) {
    const port = await freeLowPort(taken);
    taken.add(port);
    ports[name] = String(port);
  }
  return ports;
}

export interface TemporalServerProcess {
  child: ChildProcess;
  /** The end of what the server logged, for a failure's message. */
  logTail(): string;
  /** SIGTERM (a graceful stop) or SIGKILL; resolves once the process is gone. */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
}

const LOG_TAIL_CHARS = 20_000;

/**
 * `temporal-server start`, as the image's entrypoint runs it: with no config file the release renders its embedded
 * config template from the environment. Resolves once the compose health check's URL answers.
 */
export async function startTemporalServer(
  binary: string,
  env: Record<string, string>,
  cwd: string,
  healthUrl: string,
): Promise<TemporalServerProcess> {
  const child = spawn(binary, ['start'], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const collect = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-LOG_TAIL_CHARS);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const running: TemporalServerProcess = {
    child,
    logTail: () => log,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill(signal);
      await gone;
    },
  };
  try {
    await waitUntil(async () => (await fetch(healthUrl)).ok, {
      what: `temporal-server answering ${healthUrl}`,
      timeoutMs: 180_000,
      intervalMs: 500,
      abandon: () => (child.exitCode === null ? null : `it exited with code ${child.exitCode}: ${log.slice(-4000)}`),
    });
  } catch (error) {
    await running.stop('SIGKILL');
    throw error;
  }
  return running;
}

export interface TeamStackTools {
  temporal: TemporalServerBinaries;
  /** PostgreSQL's server binaries. */
  postgresBin: string;
  /** The Temporal CLI, which the admin-tools image ships for setup-namespace.sh. */
  cli: string;
  /** Seconds spent getting them: the Go build on the first run, else near zero. */
  seconds: number;
}

/**
 * What the stack needs on this machine, built or installed when missing and possible; else what is missing, in
 * words a user can act on (the tier then skips, visibly, rather than fail on a machine it cannot equip).
 */
export async function teamStackTools(): Promise<TeamStackTools | { missing: string[] }> {
  const startedAt = Date.now();
  // One after the other: the Go build alone keeps both cores busy.
  const temporal = await ensureTemporalServerBinaries();
  const postgres = await ensurePostgresBinaries();
  const { cli } = await findTemporalBinaries();
  const missing = [
    ...('missing' in temporal ? [temporal.missing] : []),
    ...('missing' in postgres ? [postgres.missing] : []),
    ...(cli ? [] : ['the Temporal CLI (`npm run temporal:ensure` installs it)']),
  ];
  if ('missing' in temporal || 'missing' in postgres || !cli) return { missing };
  return {
    temporal: temporal.binaries,
    postgresBin: postgres.bin,
    cli,
    seconds: (Date.now() - startedAt) / 1000,
  };
}
