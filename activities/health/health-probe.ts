import { performance } from 'node:perf_hooks';
import type { HealthSettings } from '../../domain/config.js';
import type { Environment } from '../../domain/environment.js';
import { type HealthComponent, judgeHealthResponse, type SmokeCheck } from '../../domain/smoke-tests.js';
import { elapsedMs } from '../elapsed.js';

/** What an environment says it runs, or why it could not say. */
export type RunningVersion = { ok: true; version: string | null; sha: string | null } | { ok: false; reason: string };

export interface ProbeRequest {
  environment: Environment;
  component: HealthComponent;
  /** What is left of the smoke run's own timeout; a probe never outlives it. */
  budgetMs: number;
}

const MAX_BODY_CHARS = 64 * 1024;

function describeFetchError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no answer within ${timeoutMs} ms`;
  }
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  if (cause?.code === 'ECONNREFUSED') return 'connection refused';
  if (cause?.code === 'ECONNRESET' || cause?.code === 'UND_ERR_SOCKET') return 'connection closed without an answer';
  if (cause?.code === 'ENOTFOUND') return 'host not found';
  return cause?.message ?? (error instanceof Error ? error.message : String(error));
}

/** One GET of a JSON endpoint of the environment, bounded in time and size, never following a redirect. */
async function readEndpoint(url: string, timeoutMs: number): Promise<{ status: number; ok: boolean; body: string }> {
  const response = await fetch(url, {
    signal: AbortSignal.timeout(timeoutMs),
    headers: { accept: 'application/json' },
    redirect: 'manual',
  });
  return { status: response.status, ok: response.ok, body: (await response.text()).slice(0, MAX_BODY_CHARS) };
}

export function healthProbeActivities(settings: HealthSettings) {
  return {
    /** One GET of one component's health endpoint; a failed probe is a result, not an error. */
    async probeHealth(request: ProbeRequest): Promise<SmokeCheck> {
      const url = `${settings.environmentUrls[request.environment]}${settings.healthPaths[request.component]}`;
      const timeoutMs = Math.max(1, Math.min(settings.probeTimeoutMs, request.budgetMs));
      const startedAt = performance.now();
      const result = (healthy: boolean, message: string, httpStatus?: number): SmokeCheck => ({
        check_name: request.component,
        status: healthy ? 'passed' : 'failed',
        message: `${request.component} ${message}`,
        details: { url, ...(httpStatus === undefined ? {} : { http_status: httpStatus }), timeout_ms: timeoutMs },
        duration_ms: elapsedMs(startedAt),
      });
      try {
        const response = await readEndpoint(url, timeoutMs);
        const verdict = judgeHealthResponse(response.status, response.body);
        return result(verdict.healthy, verdict.reason, response.status);
      } catch (error) {
        return result(false, describeFetchError(error, timeoutMs));
      }
    },

    /** Reads the environment's version endpoint, so a deployment can confirm the commit it shipped is live. */
    async readRunningVersion(environment: Environment): Promise<RunningVersion> {
      const url = `${settings.environmentUrls[environment]}${settings.versionPath}`;
      try {
        const response = await readEndpoint(url, settings.probeTimeoutMs);
        if (!response.ok) return { ok: false, reason: `${url} answered HTTP ${response.status}` };
        const parsed = JSON.parse(response.body) as { version?: unknown; sha?: unknown };
        const field = (value: unknown) => (typeof value === 'string' ? value : null);
        return { ok: true, version: field(parsed.version), sha: field(parsed.sha) };
      } catch (error) {
        const reason =
          error instanceof SyntaxError ? 'the answer is not JSON' : describeFetchError(error, settings.probeTimeoutMs);
        return { ok: false, reason: `${url}: ${reason}` };
      }
    },
  };
}
