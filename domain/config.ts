import { z } from 'zod';
import { DEFAULT_AUDIT_LOG } from './audit.js';
import { bakeEnv, bakePolicies } from './bake-config.js';
import { type BakePolicy, bakeRoundProblems } from './bake-policy.js';
import { canaryEnv, canaryPolicies } from './canary-config.js';
import type { CanaryPolicy } from './canary-policy.js';
import { DEFAULT_APPROVAL_TIMEOUT_SECONDS } from './deployment.js';
import type { Environment } from './environment.js';
import type { DestructiveMigrationPolicy } from './migration-policy.js';
import { type OAuthSettings, oauthEnv, oauthProblems, oauthSettings } from './oauth-config.js';
import { SECRET_VARIABLES } from './redaction.js';
import type { HealthComponent } from './smoke-tests.js';

export type Env = Readonly<Record<string, string | undefined>>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration error:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * No Temporal service answered at the address the process was given: one line saying what to start or set, instead
 * of a gRPC stack trace.
 */
export class TemporalUnreachableError extends ConfigError {
  constructor(address: string) {
    super([]);
    this.name = 'TemporalUnreachableError';
    this.message =
      `No Temporal service answers at ${address}: start one (\`npm start\` in this project runs one, or ` +
      `\`temporal server start-dev\`), or set TEMPORAL_ADDRESS (and TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TLS) to yours`;
  }
}

const list = (fallback = '') =>
  z
    .string()
    .optional()
    .transform((value) =>
      (value ?? fallback)
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item.length > 0),
    );
const url = (fallback: string) => z.url({ protocol: /^https?$/ }).default(fallback);
const wholeNumber = (fallback: number) => z.coerce.number().int().min(0).default(fallback);
const path = (fallback: string) => z.string().startsWith('/').default(fallback);
const positive = (fallback: number) => z.coerce.number().int().min(1).default(fallback);
const auditLogPath = z.string().min(1).default(DEFAULT_AUDIT_LOG);
// Keys are checked where they are read (codec/), so that no error ever echoes one.
const payloadKeyVariables = {
  PAYLOAD_CODEC_KEYS: z.string().optional(),
  PAYLOAD_CODEC_KEY_FILE: z.string().optional(),
};

/** Where the payload encryption keys come from: the variable wins over the file; neither means plain payloads. */
export interface PayloadKeySource {
  keys?: string;
  keyFile?: string;
}

const payloadKeySource = (parsed: { PAYLOAD_CODEC_KEYS?: string; PAYLOAD_CODEC_KEY_FILE?: string }) => ({
  ...(parsed.PAYLOAD_CODEC_KEYS ? { keys: parsed.PAYLOAD_CODEC_KEYS } : {}),
  ...(parsed.PAYLOAD_CODEC_KEY_FILE ? { keyFile: parsed.PAYLOAD_CODEC_KEY_FILE } : {}),
});

const FIXES: Record<string, string> = {
  GITHUB_TOKEN:
    'GITHUB_TOKEN not set. Export a GitHub token with the permissions the README lists under "The GitHub token" (classic: the repo scope; under `npm start`, leave it unset to use the local sandbox)',
  GITHUB_REPOSITORY: 'GITHUB_REPOSITORY must be the repository as owner/repo, e.g. acme/scheduler',
};

/** Where the environments answer and how to probe them: the worker's smoke tests and the gateway's status reads. */
const healthEnv = {
  STAGING_URL: url('https://staging.scheduler.example.com'),
  PRODUCTION_URL: url('https://scheduler.example.com'),
  SMOKE_PATH_API: path('/api/health'),
  SMOKE_PATH_DATABASE: path('/api/health/db'),
  SMOKE_PATH_REDIS: path('/api/health/redis'),
  SMOKE_PATH_CELERY_WORKER: path('/api/health/celery/worker'),
  SMOKE_PATH_CELERY_BEAT: path('/api/health/celery/beat'),
  SMOKE_PATH_VERSION: path('/api/version'),
  SMOKE_PROBE_TIMEOUT_SECONDS: wholeNumber(10),
};

export interface HealthSettings {
  environmentUrls: { staging: string; production: string };
  healthPaths: Record<HealthComponent, string>;
  versionPath: string;
  probeTimeoutMs: number;
}

function healthSettings(parsed: z.infer<z.ZodObject<typeof healthEnv>>): HealthSettings {
  return {
    environmentUrls: {
      staging: parsed.STAGING_URL.replace(/\/+$/, ''),
      production: parsed.PRODUCTION_URL.replace(/\/+$/, ''),
    },
    healthPaths: {
      api: parsed.SMOKE_PATH_API,
      database: parsed.SMOKE_PATH_DATABASE,
      redis: parsed.SMOKE_PATH_REDIS,
      celery_worker: parsed.SMOKE_PATH_CELERY_WORKER,
      celery_beat: parsed.SMOKE_PATH_CELERY_BEAT,
    },
    versionPath: parsed.SMOKE_PATH_VERSION,
    probeTimeoutMs: parsed.SMOKE_PROBE_TIMEOUT_SECONDS * 1000,
  };
}

const workerEnvSchema = z.object({
  GITHUB_TOKEN: z.string().min(1),
  GITHUB_REPOSITORY: z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/),
  GITHUB_API_URL: url('https://api.github.com'),
  ...healthEnv,
  MIGRATIONS_PATH: z.string().default('backend/alembic/versions'),
  DESTRUCTIVE_MIGRATIONS: z.enum(['warn', 'block']).optional(),
  REQUIRED_ENVIRONMENT_SECRETS: list('DATABASE_URL,REDIS_URL,SECRET_KEY'),
  REQUIRED_ENVIRONMENT_VARIABLES: list(),
  IMAGE_BUILD_CHECK: z.string().min(1).default('build-images'),
  SECURITY_MAX_CRITICAL: wholeNumber(0),
  SECURITY_MAX_HIGH: wholeNumber(3),
  SECRET_SCAN_ALLOWLIST: list(),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('deployments'),
  DEPLOYMENT_ADMIN_TOKENS: list(),
  DEPLOYMENT_AUDIT_LOG: auditLogPath,
  CD_WORKFLOW: z.string().min(1).default('cd.yml'),
  DEPLOYMENT_RUN_POLL_SECONDS: positive(10),
  ...payloadKeyVariables,
  // GitHub faults: a request that gets no answer fails after this long, and the activity's retry policy tries again.
  GITHUB_REQUEST_TIMEOUT_SECONDS: positive(30),
});

export interface WorkerConfig extends HealthSettings {
  github: { token: string; owner: string; repo: string; apiUrl: string; requestTimeoutMs: number };
  migrationsPath: string;
  destructiveMigrations: DestructiveMigrationPolicy | undefined;
  requiredEnvironmentSecrets: string[];
  requiredEnvironmentVariables: string[];
  imageBuildCheck: string;
  severityThresholds: { maxCritical: number; maxHigh: number };
  secretScan: { allowlist: string[] };
  taskQueue: string;
  adminTokens: string[];
  auditLogPath: string;
  actions: { workflowFile: string; pollInterval: string };
  payloadKeys: PayloadKeySource;
}

/** `VAR=` in a shell or an env file means "not set": it gets the default (or the missing-variable fix), not a bad value. */
export function setVariablesOnly(env: Env): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''),
  );
}

function parse<T extends z.ZodType>(schema: T, env: Env): z.infer<T> {
  const parsed = schema.safeParse(setVariablesOnly(env));
  if (parsed.success) return parsed.data;
  throw new ConfigError(
    parsed.error.issues.map((issue) => {
      const variable = String(issue.path[0]);
      const got = SECRET_VARIABLES.has(variable)
        ? 'its value is not shown'
        : `got ${JSON.stringify(env[variable] ?? null)}`;
      return FIXES[variable] ?? `${variable}: ${issue.message} (${got})`;
    }),
  );
}

export function parseWorkerConfig(env: Env): WorkerConfig {
  const parsed = parse(workerEnvSchema, env);
  const [owner = '', repo = ''] = parsed.GITHUB_REPOSITORY.split('/');
  return {
    github: {
      token: parsed.GITHUB_TOKEN,
      owner,
      repo,
      apiUrl: parsed.GITHUB_API_URL.replace(/\/+$/, ''),
      requestTimeoutMs: parsed.GITHUB_REQUEST_TIMEOUT_SECONDS * 1000,
    },
    ...healthSettings(parsed),
    migrationsPath: parsed.MIGRATIONS_PATH.replace(/^\/+|\/+$/g, ''),
    destructiveMigrations: parsed.DESTRUCTIVE_MIGRATIONS,
    requiredEnvironmentSecrets: parsed.REQUIRED_ENVIRONMENT_SECRETS,
    requiredEnvironmentVariables: parsed.REQUIRED_ENVIRONMENT_VARIABLES,
    imageBuildCheck: parsed.IMAGE_BUILD_CHECK,
    severityThresholds: { maxCritical: parsed.SECURITY_MAX_CRITICAL, maxHigh: parsed.SECURITY_MAX_HIGH },
    secretScan: { allowlist: parsed.SECRET_SCAN_ALLOWLIST },
    taskQueue: parsed.TEMPORAL_TASK_QUEUE,
    adminTokens: parsed.DEPLOYMENT_ADMIN_TOKENS,
    auditLogPath: parsed.DEPLOYMENT_AUDIT_LOG,
    actions: { workflowFile: parsed.CD_WORKFLOW, pollInterval: `${parsed.DEPLOYMENT_RUN_POLL_SECONDS}s` },
    payloadKeys: payloadKeySource(parsed),
  };
}

const DEFAULT_STATUS_HEALTH_MAX_AGE_SECONDS = 10;

const gatewayEnvSchema = z.object({
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('deployments'),
  MCP_PROGRESS_INTERVAL_MS: z.coerce.number().int().min(100).default(2000),
  DEPLOYMENT_ADMIN_TOKENS: list(),
  DEPLOYMENT_AUDIT_LOG: auditLogPath,
  DEPLOYMENT_APPROVAL_TIMEOUT_SECONDS: positive(DEFAULT_APPROVAL_TIMEOUT_SECONDS),
  ...payloadKeyVariables,
  ...healthEnv,
  STATUS_HEALTH_MAX_AGE_SECONDS: wholeNumber(DEFAULT_STATUS_HEALTH_MAX_AGE_SECONDS),
  ...bakeEnv,
  ...canaryEnv,
});

/** What every gateway transport needs (stdio and HTTP alike). */
export interface GatewayConfig {
  taskQueue: string;
  progressIntervalMs: number;
  /** The gateway checks a token given with promote_to_production before anything starts. */
  adminTokens: string[];
  auditLogPath: string;
  approvalTimeoutSeconds: number;
  payloadKeys: PayloadKeySource;
  /** get_deployment_status probes health itself, with no workflow, and reuses a probe this recent. */
  statusHealth: HealthSettings & { maxAgeMs: number };
  /** The bake window deploys and promotions to each environment are started with (domain/bake-config.ts). */
  bake: Record<Environment, BakePolicy>;
  /** Canary steps per environment, null where cd.yml takes no traffic weight (domain/canary-config.ts). */
  canary: Record<Environment, CanaryPolicy | null>;
}

export function parseGatewayConfig(env: Env): GatewayConfig {
  const parsed = parse(gatewayEnvSchema, env);
  const bake = bakePolicies(parsed);
  if (bakeRoundProblems(bake).length > 0) throw new ConfigError(bakeRoundProblems(bake));
  const canary = canaryPolicies(parsed, bake);
  if (canary.problems.length > 0) throw new ConfigError(canary.problems);
  return {
    taskQueue: parsed.TEMPORAL_TASK_QUEUE,
    progressIntervalMs: parsed.MCP_PROGRESS_INTERVAL_MS,
    adminTokens: parsed.DEPLOYMENT_ADMIN_TOKENS,
    auditLogPath: parsed.DEPLOYMENT_AUDIT_LOG,
    approvalTimeoutSeconds: parsed.DEPLOYMENT_APPROVAL_TIMEOUT_SECONDS,
    payloadKeys: payloadKeySource(parsed),
    statusHealth: { ...healthSettings(parsed), maxAgeMs: parsed.STATUS_HEALTH_MAX_AGE_SECONDS * 1000 },
    bake,
    canary: canary.policies,
  };
}

const codecServerEnvSchema = z.object({
  CODEC_SERVER_HOST: z.string().min(1).default('127.0.0.1'),
  CODEC_SERVER_PORT: z.coerce.number().int().min(0).max(65535).default(8234),
  CODEC_SERVER_CORS_ORIGINS: list('http://127.0.0.1:8233,http://localhost:8233'),
  CODEC_SERVER_AUTH_TOKEN: z.string().optional(),
  ...payloadKeyVariables,
});

export interface CodecServerConfig {
  host: string;
  port: number;
  corsOrigins: string[];
  authToken: string | undefined;
  payloadKeys: PayloadKeySource;
}

export function parseCodecServerConfig(env: Env): CodecServerConfig {
  const parsed = parse(codecServerEnvSchema, env);
  return {
    host: parsed.CODEC_SERVER_HOST,
    port: parsed.CODEC_SERVER_PORT,
    corsOrigins: parsed.CODEC_SERVER_CORS_ORIGINS,
    authToken: parsed.CODEC_SERVER_AUTH_TOKEN,
    payloadKeys: payloadKeySource(parsed),
  };
}

const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '::1'];
const WILDCARD_HOSTS = ['0.0.0.0', '::', '[::]'];
export const MIN_AUTH_TOKEN_LENGTH = 32;

/** How a Host header's hostname reads (lower case, IPv6 in brackets), so the allow-list compares like with like. */
function hostname(host: string): string {
  const lower = host.toLowerCase();
  return lower.includes(':') && !lower.startsWith('[') ? `[${lower}]` : lower;
}

const httpGatewayEnvSchema = z.object({
  MCP_HOST: z.string().min(1).default('127.0.0.1'),
  MCP_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  MCP_AUTH_TOKEN: z
    .string()
    .min(MIN_AUTH_TOKEN_LENGTH, `must be at least ${MIN_AUTH_TOKEN_LENGTH} characters (e.g. \`openssl rand -hex 32\`)`)
    .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces (it travels in an Authorization header)')
    .optional(),
  MCP_ALLOWED_HOSTS: list(),
  MCP_ALLOWED_ORIGINS: list().pipe(
    z.array(z.string().regex(/^https?:\/\/[^/\s]+\/?$/, 'must list origins as scheme://host[:port], comma-separated')),
  ),
  MCP_MAX_REQUEST_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(64 * 1024),
  MCP_MAX_CONCURRENT_CALLS_PER_CLIENT: positive(8),
  ...oauthEnv,
  /** Where the dashboard links each deployment: the Temporal Web UI (npm start's embedded one by default). */
  TEMPORAL_UI_URL: url('http://127.0.0.1:8233'),
});

/** The Streamable HTTP gateway: where it listens and what it lets in. */
export interface HttpGatewayConfig extends GatewayConfig {
  host: string;
  port: number;
  /** Bearer token every /mcp request must carry; undefined means no authentication (loopback only). */
  authToken: string | undefined;
  /** Host header names (no port, IPv6 in brackets) accepted: the DNS-rebinding guard. */
  allowedHosts: string[];
  /** Browser origins accepted besides loopback ones; requests without Origin (non-browser clients) pass. */
  allowedOrigins: string[];
  maxRequestBytes: number;
  maxConcurrentCallsPerClient: number;
  /** The gateway as an OAuth 2.1 resource server (mcp-gateway/oauth/); undefined: no identity provider. */
  oauth: OAuthSettings | undefined;
  temporalUiUrl: string;
}

export function parseHttpGatewayConfig(env: Env): HttpGatewayConfig {
  const base = parseGatewayConfig(env);
  const parsed = parse(httpGatewayEnvSchema, env);
  const oauthTrouble = oauthProblems(parsed);
  if (oauthTrouble.length > 0) throw new ConfigError(oauthTrouble);
  const loopback = LOOPBACK_HOSTS.includes(parsed.MCP_HOST.toLowerCase());
  if (!loopback && parsed.MCP_AUTH_TOKEN === undefined && parsed.MCP_OAUTH_ISSUER === undefined) {
    throw new ConfigError([
      `MCP_HOST=${parsed.MCP_HOST} is reachable from other machines, so the gateway needs authentication: set MCP_AUTH_TOKEN to a secret of at least ${MIN_AUTH_TOKEN_LENGTH} characters (e.g. \`openssl rand -hex 32\`) or MCP_OAUTH_ISSUER and MCP_OAUTH_RESOURCE (README "Signing in"), or bind MCP_HOST=127.0.0.1`,
    ]);
  }
  const wildcard = WILDCARD_HOSTS.includes(parsed.MCP_HOST);
  if (wildcard && parsed.MCP_ALLOWED_HOSTS.length === 0) {
    throw new ConfigError([
      `MCP_HOST=${parsed.MCP_HOST} listens on every interface: set MCP_ALLOWED_HOSTS to the comma-separated host names clients use to reach the gateway (e.g. deploy-gateway.internal), so requests for any other Host are refused (DNS rebinding)`,
    ]);
  }
  const loopbackNames = ['localhost', '127.0.0.1', '[::1]'];
  const allowedHosts = [...(wildcard ? [] : [parsed.MCP_HOST]), ...parsed.MCP_ALLOWED_HOSTS];
  return {
    ...base,
    host: parsed.MCP_HOST,
    port: parsed.MCP_PORT,
    authToken: parsed.MCP_AUTH_TOKEN,
    allowedHosts: [...new Set([...loopbackNames, ...allowedHosts.map(hostname)])],
    allowedOrigins: parsed.MCP_ALLOWED_ORIGINS.map((origin) => origin.replace(/\/+$/, '').toLowerCase()),
    maxRequestBytes: parsed.MCP_MAX_REQUEST_BYTES,
    maxConcurrentCallsPerClient: parsed.MCP_MAX_CONCURRENT_CALLS_PER_CLIENT,
    oauth: oauthSettings(parsed),
    temporalUiUrl: parsed.TEMPORAL_UI_URL.replace(/\/+$/, ''),
  };
}
