// Canary steps below the workflow: the gateway's canary variables and their errors, and the sandbox's cd.yml model
// (the traffic-weight input) with its production app really splitting user traffic between two versions.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { describeCanary } from '../../domain/canary-policy.js';
import { ConfigError, parseGatewayConfig } from '../../domain/config.js';
import { type Sandbox, startSandbox } from '../../sandbox/start-sandbox.js';
import { waitUntil } from '../../scripts/wait-until.js';
import { EVENT_CEILING_MS } from '../helpers/ceilings.js';
import { SANDBOX_REPO, sandboxOctokit, steer } from '../helpers/sandbox-control.js';

describe('canary configuration (gateway)', () => {
  it('is off unless both the weight input and the steps are set', () => {
    assert.deepEqual(parseGatewayConfig({}).canary, { staging: null, production: null });
  });

  it('builds the policy from the variables, analysing with the bake probes and gate for the step seconds', () => {
    const { canary, bake } = parseGatewayConfig({
      PRODUCTION_CANARY_WEIGHT_INPUT: 'traffic_weight',
      PRODUCTION_CANARY_STEPS: '10, 50,100',
      PRODUCTION_CANARY_STEP_SECONDS: '120',
    });
    assert.equal(canary.staging, null);
    assert.deepEqual(canary.production, {
      weightInput: 'traffic_weight',
      steps: [10, 50, 100],
      analysis: { ...bake.production, seconds: 120 },
    });
    assert.match(
      describeCanary(canary.production),
      /^canary: dispatch cd\.yml once per step with traffic_weight=10, then 50, then 100; after each step below 100, analyse for 120s/,
    );
    assert.equal(
      parseGatewayConfig({ PRODUCTION_CANARY_WEIGHT_INPUT: 'w', PRODUCTION_CANARY_STEPS: '25,100' }).canary.production
        ?.analysis.seconds,
      60,
    );
  });

  it('refuses steps that are not ascending whole percentages ending at 100, naming the variable', () => {
    const refused = (steps: string, pattern: RegExp) =>
      assert.throws(
        () => parseGatewayConfig({ PRODUCTION_CANARY_WEIGHT_INPUT: 'traffic_weight', PRODUCTION_CANARY_STEPS: steps }),
        (error: unknown) => error instanceof ConfigError && pattern.test(error.message),
        steps,
      );
    refused(
      '10,50',
      /PRODUCTION_CANARY_STEPS must end at 100: whole percentages from 1 to 100, ascending, ending at 100, e\.g\. 10,50,100 \(got "10,50"\)/,
    );
    refused('50,10,100', /PRODUCTION_CANARY_STEPS must be ascending/);
    refused('10,10,100', /PRODUCTION_CANARY_STEPS must be ascending/);
    refused('0,100', /PRODUCTION_CANARY_STEPS must list whole percentages/);
    refused('ten,100', /PRODUCTION_CANARY_STEPS must list whole percentages/);
    refused('100', /PRODUCTION_CANARY_STEPS must list at least two steps/);
  });

  it('refuses half a configuration, a bad input name and too many rounds per step', () => {
    assert.throws(
      () => parseGatewayConfig({ STAGING_CANARY_STEPS: '10,100' }),
      /STAGING_CANARY_WEIGHT_INPUT and STAGING_CANARY_STEPS go together/,
    );
    assert.throws(
      () => parseGatewayConfig({ PRODUCTION_CANARY_WEIGHT_INPUT: 'traffic weight', PRODUCTION_CANARY_STEPS: '10,100' }),
      /PRODUCTION_CANARY_WEIGHT_INPUT: must be a workflow_dispatch input name/,
    );
    assert.throws(
      () =>
        parseGatewayConfig({
          PRODUCTION_CANARY_WEIGHT_INPUT: 'traffic_weight',
          PRODUCTION_CANARY_STEPS: '10,100',
          PRODUCTION_CANARY_STEP_SECONDS: '86400',
        }),
      /PRODUCTION_CANARY_STEP_SECONDS=86400 with DEPLOYMENT_BAKE_PROBE_INTERVAL_SECONDS=15 makes more than 400 probe rounds per step/,
    );
  });
});

describe('sandbox cd.yml traffic weight and the split production app', () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await startSandbox();
  });
  after(() => sandbox.close());
  beforeEach(() => {
    sandbox.state.reset();
    sandbox.state.setActionsTiming({ queued_ms: 10, run_ms: 20 });
  });

  async function deploy(ref: string, inputs: Record<string, string>): Promise<void> {
    const octokit = sandboxOctokit(sandbox);
    const response = await octokit.rest.actions.createWorkflowDispatch({
      ...SANDBOX_REPO,
      workflow_id: 'cd.yml',
      ref,
      inputs: { environment: 'production', ...inputs },
      return_run_details: true,
    });
    const runId = (response.data as unknown as { workflow_run_id: number }).workflow_run_id;
    await waitUntil(
      async () =>
        (await octokit.rest.actions.getWorkflowRun({ ...SANDBOX_REPO, run_id: runId })).data.status === 'completed',
      { what: `run ${runId}`, timeoutMs: EVENT_CEILING_MS, intervalMs: 20 },
    );
  }

  async function schedule(times: number): Promise<{ version: string; status: number }[]> {
    const answers: { version: string; status: number }[] = [];
    for (let index = 0; index < times; index++) {
      const response = await fetch(`${sandbox.productionUrl}/api/schedule`);
      const body = (await response.json()) as { version?: string };
      answers.push({ version: body.version ?? 'error', status: response.status });
    }
    return answers;
  }

  it('serves the canary to exactly its share of /api/schedule, with its own error rate and version label', async () => {
    await steer(sandbox, 'POST', '/apps/production/error-rate', { ratio: 0.5, instance: 'canary' });
    await deploy('v1.1.0', { traffic_weight: '20' });
    const version = (await (await fetch(`${sandbox.productionUrl}/api/version`)).json()) as { version: string };
    assert.equal(version.version, 'v1.0.0', 'health and version endpoints answer for the stable version');

    const answers = await schedule(100);
    assert.equal(answers.filter((answer) => answer.version === 'v1.0.0').length, 80);
    assert.equal(answers.filter((answer) => answer.status === 500).length, 10, 'half of the canary share fails');
    const metrics = await (await fetch(`${sandbox.productionUrl}/metrics`)).text();
    assert.match(metrics, /version="v1\.1\.0",path="\/api\/schedule",status="500"\} 10$/m);
    assert.match(metrics, /version="v1\.1\.0",path="\/api\/schedule",status="200"\} 10$/m);
    assert.match(metrics, /version="v1\.0\.0",path="\/api\/schedule",status="200"\} 80$/m);

    await deploy('v1.1.0', { traffic_weight: '100' });
    const promoted = await schedule(10);
    assert.deepEqual(
      new Set(promoted.map((answer) => answer.version === 'error' || answer.version === 'v1.1.0')),
      new Set([true]),
    );
    assert.equal(
      promoted.filter((answer) => answer.status === 500).length,
      5,
      'the promoted canary keeps its error rate',
    );

    await deploy('v1.0.0', {});
    const restored = await schedule(10);
    assert.ok(
      restored.every((answer) => answer.version === 'v1.0.0' && answer.status === 200),
      'a full deploy of another version starts clean',
    );
  });

  it('refuses a traffic weight that is not a number or outside 1-100, naming the input', async () => {
    await assert.rejects(
      deploy('v1.1.0', { traffic_weight: 'half' }),
      /Provided value 'half' for input 'traffic_weight' is not a number/,
    );
    await assert.rejects(
      deploy('v1.1.0', { traffic_weight: '0' }),
      /'traffic_weight' must be a whole number from 1 to 100/,
    );
  });
});
