import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDebianPackage, type PackageOutcome } from '../../scripts/debian-package.js';
import { executable, onPath } from '../../scripts/temporal-binaries.js';
import { waitUntil } from '../../scripts/wait-until.js';
import { EVENT_CEILING_MS } from './ceilings.js';
import { freePort } from './product-process.js';

/** Debian's `prometheus` (/usr/bin/prometheus), installed with apt-get when missing and we are root. */
export function ensurePrometheus(): Promise<PackageOutcome> {
  return ensureDebianPackage({
    packageName: 'prometheus',
    programs: ['prometheus'],
    async find() {
      return (await onPath('prometheus')) ?? ((await executable('/usr/bin/prometheus')) ? '/usr/bin/prometheus' : null);
    },
  });
}

export interface RunningPrometheus {
  url: string;
  /** One instant query's answer, as the product's gate reads it. */
  query(promql: string): Promise<{ value?: [number, string] }[]>;
  stop(): Promise<void>;
}

/**
 * A real Prometheus scraping the given apps' /metrics every second: its config and TSDB in a mkdtemp folder, on a
 * free loopback port. Resolves once every target has been scraped (`up == 1`).
 */
export async function startPrometheus(program: string, targets: string[]): Promise<RunningPrometheus> {
  const folder = await mkdtemp(join(tmpdir(), 'deploy-orchestrator-prometheus-'));
  const config = join(folder, 'prometheus.yml');
  await writeFile(
    config,
    [
      'global:',
      '  scrape_interval: 1s',
      '  evaluation_interval: 1s',
      'scrape_configs:',
      '  - job_name: scheduler-apps',
      '    static_configs:',
      `      - targets: [${targets.map((target) => `'${new URL(target).host}'`).join(', ')}]`,
      '',
    ].join('\n'),
  );
  const port = await freePort();
  const child: ChildProcess = spawn(
    program,
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(folder, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const url = `http://127.0.0.1:${port}`;
  const query = async (promql: string) => {
    const answer = (await (await fetch(`${url}/api/v1/query?query=${encodeURIComponent(promql)}`)).json()) as {
      data: { result: { value?: [number, string] }[] };
    };
    return answer.data.result;
  };
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    await rm(folder, { recursive: true, force: true });
  };
  try {
    await waitUntil(
      async () => {
        const up = await query('up == 1').catch(() => []);
        return up.length === targets.length;
      },
      {
        what: 'Prometheus to scrape every app',
        timeoutMs: EVENT_CEILING_MS,
        intervalMs: 200,
        abandon: () => (child.exitCode === null ? null : `prometheus exited with ${child.exitCode}: ${stderr}`),
      },
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, query, stop };
}
