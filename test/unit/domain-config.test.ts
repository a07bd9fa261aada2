import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, parseGatewayConfig, parseWorkerConfig } from '../../domain/config.js';

const minimal = { GITHUB_TOKEN: 'ghp_x', GITHUB_REPOSITORY: 'acme/scheduler' };

describe('worker configuration', () => {
  it("says 'GITHUB_TOKEN not set' with the fix", () => {
    assert.throws(
      () => parseWorkerConfig({ GITHUB_REPOSITORY: 'acme/scheduler' }),
      (error: unknown) =>
        error instanceof ConfigError && /GITHUB_TOKEN not set\. Export a GitHub token/.test(error.message),
    );
  });

  it('names a malformed repository and a bad URL', () => {
    assert.throws(
      () => parseWorkerConfig({ ...minimal, GITHUB_REPOSITORY: 'scheduler' }),
      /GITHUB_REPOSITORY must be .*owner\/repo/,
    );
    assert.throws(() => parseWorkerConfig({ ...minimal, STAGING_URL: 'ftp://x' }), /STAGING_URL: .*"ftp:\/\/x"/);
  });

  it("uses the contract's defaults", () => {
    const config = parseWorkerConfig(minimal);
    assert.equal(config.environmentUrls.staging, 'https://staging.scheduler.example.com');
    assert.equal(config.environmentUrls.production, 'https://scheduler.example.com');
    assert.deepEqual(config.github, {
      token: 'ghp_x',
      owner: 'acme',
      repo: 'scheduler',
      apiUrl: 'https://api.github.com',
      requestTimeoutMs: 30_000,
    });
    assert.deepEqual(config.severityThresholds, { maxCritical: 0, maxHigh: 3 });
    assert.deepEqual(config.requiredEnvironmentSecrets, ['DATABASE_URL', 'REDIS_URL', 'SECRET_KEY']);
    assert.equal(config.healthPaths.api, '/api/health');
  });

  it('parses lists and numbers', () => {
    const config = parseWorkerConfig({
      ...minimal,
      REQUIRED_ENVIRONMENT_VARIABLES: ' APP_ENV , REGION ',
      SECURITY_MAX_HIGH: '0',
    });
    assert.deepEqual(config.requiredEnvironmentVariables, ['APP_ENV', 'REGION']);
    assert.equal(config.severityThresholds.maxHigh, 0);
    assert.throws(() => parseWorkerConfig({ ...minimal, SECURITY_MAX_HIGH: 'many' }), /SECURITY_MAX_HIGH/);
  });
});

describe('gateway configuration', () => {
  it('defaults to loopback port 3000 and refuses other interfaces without auth', () => {
    assert.equal(parseGatewayConfig({}).port, 3000);
    assert.equal(parseGatewayConfig({}).host, '127.0.0.1');
    assert.throws(() => parseGatewayConfig({ MCP_HOST: '0.0.0.0' }), /only binds to loopback/);
    assert.throws(() => parseGatewayConfig({ MCP_PORT: '70000' }), /MCP_PORT/);
  });
});
