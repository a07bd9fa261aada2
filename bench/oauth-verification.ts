// `npm run bench:oauth`: what signing in costs per request. The same MCP request (tools/list: no Temporal call, so
// only the gateway's own work is timed) against one gateway with an identity provider, carrying a JWT access token
// from the real `oidc-provider` on loopback (signature, issuer, audience, expiry checked against the cached JWKS) or
// the break-glass MCP_AUTH_TOKEN, and against a gateway without authentication as the baseline, interleaved in one
// process so the machine's load falls on all three alike. Also the first JWT request, which fetches the issuer's
// discovery document and keys.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@temporalio/client';
import { parseHttpGatewayConfig } from '../domain/config.js';
import { startHttpGateway } from '../mcp-gateway/http-server.js';
import { rawPost, toolsList } from '../test/helpers/http-request.js';
import { PEOPLE, startIdentityProvider } from '../test/helpers/oidc-provider.js';
import { freePort } from '../test/helpers/product-process.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 300);
const BREAK_GLASS = 'b'.repeat(64);

const idp = await startIdentityProvider();
const port = await freePort();
const resource = `http://127.0.0.1:${port}/mcp`;
const folder = await mkdtemp(join(tmpdir(), 'oauth-bench-'));
// Only refusals are audited, and this bench makes none: the log stays empty.
const auditLog = join(folder, 'deployments.log');
// tools/list never reaches Temporal: a lazy client that never connects is enough.
const temporal = new Client();
const signedIn = await startHttpGateway(
  temporal,
  parseHttpGatewayConfig({
    MCP_PORT: String(port),
    MCP_AUTH_TOKEN: BREAK_GLASS,
    MCP_OAUTH_ISSUER: idp.issuer,
    MCP_OAUTH_RESOURCE: resource,
    DEPLOYMENT_AUDIT_LOG: auditLog,
  }),
);
const open = await startHttpGateway(
  temporal,
  parseHttpGatewayConfig({ MCP_PORT: '0', DEPLOYMENT_AUDIT_LOG: auditLog }),
);
const jwt = await idp.token(PEOPLE.alice, resource);

async function timed(url: string, headers: Record<string, string>): Promise<number> {
  const started = performance.now();
  const answer = await rawPost(url, headers, toolsList);
  if (answer.status !== 200) throw new Error(`${answer.status}: ${answer.body}`);
  return performance.now() - started;
}

const first = await timed(signedIn.url, { authorization: `Bearer ${jwt}` });
const samples = { baseline: [] as number[], breakGlass: [] as number[], jwt: [] as number[] };
for (let round = 0; round < ROUNDS; round++) {
  samples.baseline.push(await timed(open.url, {}));
  samples.breakGlass.push(await timed(signedIn.url, { authorization: `Bearer ${BREAK_GLASS}` }));
  samples.jwt.push(await timed(signedIn.url, { authorization: `Bearer ${jwt}` }));
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const p95 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length * 0.95)] ?? 0;
const base = median(samples.baseline);
console.log(`tools/list over Streamable HTTP, ${ROUNDS} rounds interleaved (ms):`);
console.log('| caller | median | p95 | median vs no authentication |');
console.log('| --- | --- | --- | --- |');
for (const [name, values] of Object.entries(samples)) {
  console.log(
    `| ${name} | ${median(values).toFixed(2)} | ${p95(values).toFixed(2)} | ${(median(values) / base).toFixed(2)}x |`,
  );
}
console.log(`first JWT request (discovery + JWKS fetch): ${first.toFixed(2)} ms`);

await signedIn.close();
await open.close();
await idp.close();
await temporal.connection.close().catch(() => undefined);
await rm(folder, { recursive: true, force: true });
