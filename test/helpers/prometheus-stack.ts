import assert from 'node:assert/strict';
import { after, before, beforeEach } from 'node:test';
import type { Env } from '../../domain/config.js';
import { waitUntil } from '../../scripts/wait-until.js';
import { EVENT_CEILING_MS } from './ceilings.js';
import { errorText, type McpGateway, type McpStack, startMcpGateway, startMcpStack } from './mcp-stack.js';
import { type RunningPrometheus, startPrometheus } from './prometheus.js';
import { steer } from './sandbox-control.js';

// biome-ignore lint/suspicious/noExplicitAny: tool results are JSON read field by field in assertions
export type ToolResult = any;

/** The error-rate gate the e2e tests configure: production's 5xx share over 10 s (scrapes come every second). */
export const ERROR_RATE_THRESHOLD = 0.1;
export const ERROR_RATE_QUERY =
  'sum(rate(http_requests_total{environment="production",status=~"5.."}[10s])) / ' +
  'sum(rate(http_requests_total{environment="production"}[10s]))';

/** Users of an environment: a bounded loop of requests on loopback, one every 10 ms, until stopped. */
function userTraffic(url: string): { stop(): Promise<number> } {
  let running = true;
  let sent = 0;
  const loop = (async () => {
    while (running && sent < 100_000) {
      await fetch(`${url}/api/schedule`)
        .then((response) => response.arrayBuffer())
        .catch(() => undefined);
      sent += 1;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return sent;
    },
  };
}

/** The dev-server stack, a real Prometheus scraping both sandbox apps, and a gateway with the gate on. */
export class PrometheusStack {
  stack!: McpStack;
  gateway!: McpGateway;
  prometheus!: RunningPrometheus;
  #traffic: { stop(): Promise<number> } | null = null;

  get sandbox() {
    return this.stack.harness.sandbox;
  }

  startTraffic(): void {
    this.#traffic = userTraffic(this.sandbox.productionUrl);
  }

  async stopTraffic(): Promise<void> {
    await this.#traffic?.stop();
    this.#traffic = null;
  }

  /** A tool call that must succeed; its structured result. */
  async call(name: string, args: Record<string, unknown>): Promise<ToolResult> {
    const result = await this.gateway.call(name, args);
    assert.equal(result.isError, undefined, `${name}: ${errorText(result)}`);
    return result.structuredContent;
  }

  /** get_deployment_status polled until `until` holds; the last answer. */
  async statusWhen(deploymentId: string, until: (status: ToolResult) => boolean, what: string): Promise<ToolResult> {
    let last: ToolResult = null;
    await waitUntil(
      async () => {
        last = await this.call('get_deployment_status', { deployment_id: deploymentId });
        return until(last);
      },
      { what, timeoutMs: EVENT_CEILING_MS, intervalMs: 250 },
    );
    return last;
  }
}

/**
 * Registers the hooks of a describe block against a real Prometheus (`program`; null: the block is skipped): the
 * stack, Prometheus and a second gateway configured as an operator with Prometheus would (the gate above plus
 * `gatewayEnv`) start once; each test starts from a reset sandbox with quick Actions runs.
 */
export function usePrometheusStack(program: string | null, gatewayEnv: Env): PrometheusStack {
  const world = new PrometheusStack();
  before(async () => {
    if (!program) return;
    world.stack = await startMcpStack();
    const { sandbox } = world.stack.harness;
    world.prometheus = await startPrometheus(program, [sandbox.stagingUrl, sandbox.productionUrl]);
    world.gateway = await startMcpGateway(world.stack.harness, {
      DEPLOYMENT_BAKE_PROBE_INTERVAL_SECONDS: '2',
      DEPLOYMENT_BAKE_FAILURES_TO_ROLL_BACK: '2',
      PRODUCTION_PROMETHEUS_URL: world.prometheus.url,
      PRODUCTION_ERROR_RATE_QUERY: ERROR_RATE_QUERY,
      PRODUCTION_ERROR_RATE_THRESHOLD: String(ERROR_RATE_THRESHOLD),
      ...gatewayEnv,
    });
  });
  after(async () => {
    await world.stopTraffic();
    await world.gateway?.close();
    await world.prometheus?.stop();
    await world.stack?.close();
  });
  beforeEach(async () => {
    await steer(world.sandbox, 'POST', '/reset');
    await steer(world.sandbox, 'PUT', '/actions/timing', { queued_ms: 50, run_ms: 300 });
  });
  return world;
}
