import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ConfigError,
  MIN_AUTH_TOKEN_LENGTH,
  parseGatewayConfig,
  parseHttpGatewayConfig,
  parseWorkerConfig,
} from '../../domain/config.js';

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
  const token = 'a'.repeat(MIN_AUTH_TOKEN_LENGTH);

  it('defaults to loopback port 3000, no token, 64 KiB bodies and 8 calls in flight per client', () => {
    const config = parseHttpGatewayConfig({});
    assert.equal(config.port, 3000);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.authToken, undefined);
    assert.deepEqual(config.allowedHosts, ['localhost', '127.0.0.1', '[::1]']);
    assert.deepEqual(config.allowedOrigins, []);
    assert.equal(config.maxRequestBytes, 65536);
    assert.equal(config.maxConcurrentCallsPerClient, 8);
    assert.throws(() => parseHttpGatewayConfig({ MCP_PORT: '70000' }), /MCP_PORT/);
  });

  it('refuses another interface without MCP_AUTH_TOKEN, naming the variable and the fix', () => {
    assert.throws(
      () => parseHttpGatewayConfig({ MCP_HOST: '10.0.0.5' }),
      /MCP_HOST=10\.0\.0\.5 is reachable from other machines.*set MCP_AUTH_TOKEN.*or bind MCP_HOST=127\.0\.0\.1/,
    );
    const exposed = parseHttpGatewayConfig({ MCP_HOST: '10.0.0.5', MCP_AUTH_TOKEN: token });
    assert.equal(exposed.authToken, token);
    assert.deepEqual(exposed.allowedHosts, ['localhost', '127.0.0.1', '[::1]', '10.0.0.5']);
    const named = parseHttpGatewayConfig({ MCP_HOST: '10.0.0.5', MCP_AUTH_TOKEN: token, MCP_ALLOWED_HOSTS: 'gw.lan' });
    assert.deepEqual(named.allowedHosts, ['localhost', '127.0.0.1', '[::1]', '10.0.0.5', 'gw.lan']);
  });

  it('asks for MCP_ALLOWED_HOSTS when listening on every interface', () => {
    assert.throws(
      () => parseHttpGatewayConfig({ MCP_HOST: '0.0.0.0', MCP_AUTH_TOKEN: token }),
      /MCP_HOST=0\.0\.0\.0 listens on every interface: set MCP_ALLOWED_HOSTS/,
    );
    const config = parseHttpGatewayConfig({
      MCP_HOST: '0.0.0.0',
      MCP_AUTH_TOKEN: token,
      MCP_ALLOWED_HOSTS: 'Deploy.Example.com, fd00::1',
      MCP_ALLOWED_ORIGINS: 'https://console.example.com/',
    });
    assert.deepEqual(config.allowedHosts, ['localhost', '127.0.0.1', '[::1]', 'deploy.example.com', '[fd00::1]']);
    assert.deepEqual(config.allowedOrigins, ['https://console.example.com']);
    assert.throws(
      () => parseHttpGatewayConfig({ MCP_ALLOWED_ORIGINS: 'console.example.com' }),
      /MCP_ALLOWED_ORIGINS: must list origins as scheme:\/\/host\[:port\]/,
    );
  });

  it('never echoes a bad token in the error', () => {
    for (const bad of ['short-secret-value', `${'b'.repeat(40)} with spaces`]) {
      const error = captureConfigError(() => parseHttpGatewayConfig({ MCP_HOST: '10.0.0.5', MCP_AUTH_TOKEN: bad }));
      assert.match(error.message, /MCP_AUTH_TOKEN: must be/);
      assert.match(error.message, /its value is not shown/);
      assert.ok(!error.message.includes(bad.slice(0, 12)), error.message);
    }
  });

  it('caps bodies at no less than 1 KiB and calls in flight at no less than 1', () => {
    assert.throws(() => parseHttpGatewayConfig({ MCP_MAX_REQUEST_BYTES: '100' }), /MCP_MAX_REQUEST_BYTES/);
    assert.throws(
      () => parseHttpGatewayConfig({ MCP_MAX_CONCURRENT_CALLS_PER_CLIENT: '0' }),
      /MCP_MAX_CONCURRENT_CALLS_PER_CLIENT/,
    );
    assert.equal(parseHttpGatewayConfig({ MCP_MAX_REQUEST_BYTES: '2048' }).maxRequestBytes, 2048);
  });

  it('leaves the stdio gateway free of HTTP settings', () => {
    assert.deepEqual(Object.keys(parseGatewayConfig({ MCP_HOST: '0.0.0.0' })).sort(), [
      'adminTokens',
      'approvalTimeoutSeconds',
      'auditLogPath',
      'bake',
      'canary',
      'payloadKeys',
      'progressIntervalMs',
      'statusHealth',
      'taskQueue',
    ]);
  });

  it('probes health for status reads where the worker does, reusing a probe up to 10 s old by default', () => {
    const env = { STAGING_URL: 'http://staging.internal:8000/', SMOKE_PATH_REDIS: '/healthz/redis' };
    const { statusHealth } = parseGatewayConfig(env);
    assert.equal(statusHealth.maxAgeMs, 10_000);
    assert.equal(statusHealth.environmentUrls.staging, 'http://staging.internal:8000');
    assert.equal(statusHealth.healthPaths.redis, '/healthz/redis');
    const worker = parseWorkerConfig({ GITHUB_TOKEN: 't', GITHUB_REPOSITORY: 'acme/scheduler', ...env });
    assert.deepEqual(statusHealth.environmentUrls, worker.environmentUrls);
    assert.deepEqual(statusHealth.healthPaths, worker.healthPaths);
    assert.equal(parseGatewayConfig({ STATUS_HEALTH_MAX_AGE_SECONDS: '0' }).statusHealth.maxAgeMs, 0);
    assert.throws(() => parseGatewayConfig({ STATUS_HEALTH_MAX_AGE_SECONDS: '-1' }), /STATUS_HEALTH_MAX_AGE_SECONDS/);
  });
});

function captureConfigError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}
