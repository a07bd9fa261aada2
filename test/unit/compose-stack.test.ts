// The team stack (docker-compose.yml, Dockerfile, deploy.env.example), checked statically: no Docker engine runs on
// this machine or in CI, so nothing here starts a container. What is checked: the compose file, interpolated the way
// `docker compose` does with the example env file, is valid against the compose-spec JSON schema, and the product
// rules a team would trip over hold (services, scaling, health checks, documented variables, entry points).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { Ajv } from 'ajv';
import { DEPLOYMENT_INITIATOR } from '../../domain/initiator-search-attribute.js';
import { SEARCH_ATTRIBUTES } from '../../domain/search-attributes.js';
import { PROJECT_ROOT } from '../../scripts/temporal-binaries.js';
import {
  COMPOSE_TEXT,
  filledExample,
  loadCompose,
  readEnvExample,
  type Service,
  VARIABLE,
} from '../helpers/compose-file.js';

const read = (path: string) => readFileSync(join(PROJECT_ROOT, path), 'utf8');

const compose = loadCompose(filledExample());
const services = compose.services;
const isOneShot = (service: Service) => service.restart === 'no';

/** The compose-spec JSON schema (compose-spec/compose-spec schema/compose-spec.json) that dclint ships. */
function composeSpecSchema(): { title: string } {
  const dclint = dirname(createRequire(import.meta.url).resolve('dclint/package.json'));
  const { $schema, ...schema } = JSON.parse(readFileSync(join(dclint, 'schemas/compose.schema.json'), 'utf8'));
  // It names draft-07 by its https address, which Ajv does not know; draft 07 is what Ajv's default class speaks.
  assert.equal($schema, 'https://json-schema.org/draft-07/schema');
  return schema;
}

describe('docker-compose.yml against the compose-spec JSON schema', () => {
  it('is valid once interpolated with the example env file (schema as shipped by dclint 3.1.0)', () => {
    const schema = composeSpecSchema();
    assert.equal(schema.title, 'Compose Specification');
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    const valid = validate(compose);
    assert.ok(valid, JSON.stringify(validate.errors, null, 2));
  });

  it('rejects a file that breaks the schema (the check can fail)', () => {
    const validate = new Ajv({ allErrors: true, strict: false }).compile(composeSpecSchema());
    const broken = structuredClone(compose);
    (broken.services.worker as Record<string, unknown>).depends_on = { temporal: { condition: 'when_ready' } };
    assert.equal(validate(broken), false);
  });

  it('refuses to start without each required secret, as compose does', () => {
    const example = filledExample();
    for (const name of ['POSTGRES_PASSWORD', 'PAYLOAD_CODEC_KEYS', 'MCP_AUTH_TOKEN', 'GITHUB_TOKEN']) {
      assert.throws(() => loadCompose({ ...example, [name]: '' }), new RegExp(`required variable ${name}`));
    }
  });

  it('passes `docker compose config` when the compose CLI is installed', (t) => {
    const probe = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' });
    if (probe.status !== 0) {
      t.skip('no `docker compose` CLI on this machine; the schema check above stands in for it');
      return;
    }
    const result = spawnSync('docker', ['compose', '-f', join(PROJECT_ROOT, 'docker-compose.yml'), 'config', '-q'], {
      encoding: 'utf8',
      env: { ...process.env, ...filledExample() },
    });
    assert.equal(result.status, 0, result.stderr);
  });
});

describe('the stack the design requires', () => {
  it('has PostgreSQL, Temporal with its schema and setup jobs, the Web UI, worker, gateway and codec server', () => {
    const images = Object.fromEntries(Object.entries(services).map(([name, service]) => [name, service.image ?? '']));
    assert.match(images.postgres ?? '', /^postgres:/);
    assert.match(images['temporal-schema'] ?? '', /^temporalio\/admin-tools:/);
    assert.match(images.temporal ?? '', /^temporalio\/server:/);
    assert.match(images['temporal-setup'] ?? '', /^temporalio\/admin-tools:/);
    assert.match(images['temporal-ui'] ?? '', /^temporalio\/ui:/);
    for (const [name, entry] of [
      ['worker', 'dist/worker/main.js'],
      ['gateway', 'dist/mcp-gateway/main-http.js'],
      ['codec-server', 'dist/codec/main.js'],
    ] as const) {
      assert.ok(services[name]?.build, `${name} is built from the Dockerfile`);
      assert.deepEqual(services[name]?.command, ['node', entry]);
    }
  });

  it('pins every image it pulls to a version tag', () => {
    for (const [name, { image, build }] of Object.entries(services)) {
      if (build) continue;
      assert.match(image ?? '', /:[\w.-]*\d[\w.-]*$/, `${name}: image ${image} has no version tag`);
      assert.doesNotMatch(image ?? '', /:latest$/);
    }
    const serverTag = services.temporal?.image?.split(':')[1];
    assert.equal(services['temporal-schema']?.image, `temporalio/admin-tools:${serverTag}`);
    assert.equal(services['temporal-setup']?.image, `temporalio/admin-tools:${serverTag}`);
  });

  it('lets the worker scale: no container_name anywhere, no published port on the worker', () => {
    for (const [name, service] of Object.entries(services)) assert.equal(service.container_name, undefined, name);
    assert.equal(services.worker?.ports, undefined);
  });

  it('gives every long-running service a health check, and waits on health or completion', () => {
    for (const [name, service] of Object.entries(services)) {
      if (isOneShot(service)) continue;
      assert.ok(service.healthcheck?.test && service.healthcheck.test.length > 0, `${name} has no healthcheck`);
    }
    for (const [name, service] of Object.entries(services)) {
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        const target = services[dependency];
        assert.ok(target, `${name} depends on unknown ${dependency}`);
        const expected = isOneShot(target) ? 'service_completed_successfully' : 'service_healthy';
        assert.equal(condition, expected, `${name} -> ${dependency}`);
      }
    }
    assert.ok(services.worker?.depends_on?.['temporal-setup'], 'the worker waits for the search attributes');
    assert.ok(services.temporal?.depends_on?.['temporal-schema'], 'the server waits for its schema');
  });

  it('shares one audit log volume between every worker replica and the gateway', () => {
    for (const name of ['worker', 'gateway']) {
      const service = services[name];
      assert.equal(service?.environment?.DEPLOYMENT_AUDIT_LOG, '/var/log/scheduler/deployments.log', name);
      assert.ok(service?.volumes?.includes('audit-log:/var/log/scheduler'), name);
    }
  });

  it('tells worker and gateway where the environments answer (smoke tests; health for status reads)', () => {
    const example = filledExample();
    for (const name of ['worker', 'gateway']) {
      assert.equal(services[name]?.environment?.STAGING_URL, example.STAGING_URL, name);
      assert.equal(services[name]?.environment?.PRODUCTION_URL, example.PRODUCTION_URL, name);
    }
  });

  it('gives worker, gateway and codec server the same codec keys, and the gateway its token on 0.0.0.0', () => {
    const keys = ['worker', 'gateway', 'codec-server'].map((name) => services[name]?.environment?.PAYLOAD_CODEC_KEYS);
    assert.ok(keys[0]);
    assert.deepEqual(new Set(keys).size, 1);
    assert.equal(services.gateway?.environment?.MCP_HOST, '0.0.0.0');
    assert.ok(services.gateway?.environment?.MCP_AUTH_TOKEN);
  });

  it('registers exactly the search attributes the workflows set', () => {
    const script = read('deploy/temporal/setup-namespace.sh');
    const registered = [...script.matchAll(/--name (\w+) --type Keyword/g)].map((match) => match[1]).sort();
    assert.deepEqual(
      registered,
      [...Object.values(SEARCH_ATTRIBUTES), DEPLOYMENT_INITIATOR].map((key) => key.name).sort(),
    );
  });
});

describe('deploy.env.example', () => {
  const example = readEnvExample();

  it('documents, with a comment, every variable the compose file reads', () => {
    const used = new Set([...COMPOSE_TEXT.matchAll(VARIABLE)].map((match) => match[1] ?? ''));
    for (const name of used) {
      assert.ok(example.has(name), `${name} is used in docker-compose.yml but not in deploy.env.example`);
      assert.notEqual(example.get(name)?.comment, '', `${name} has no comment`);
    }
    for (const name of example.keys())
      assert.ok(used.has(name), `${name} is in the example but compose never reads it`);
  });

  it('marks every variable compose requires as Required, holds no secret, and says how to generate them', () => {
    const required = new Set([...COMPOSE_TEXT.matchAll(/\$\{([A-Z0-9_]+):\?/g)].map((match) => match[1] ?? ''));
    for (const name of required) assert.match(example.get(name)?.comment ?? '', /Required/, name);
    for (const name of ['POSTGRES_PASSWORD', 'PAYLOAD_CODEC_KEYS', 'MCP_AUTH_TOKEN', 'DEPLOYMENT_ADMIN_TOKENS']) {
      assert.equal(example.get(name)?.value, '', `${name} must be empty in the example`);
      assert.match(example.get(name)?.comment ?? '', /openssl rand/, name);
    }
    assert.equal(example.get('GITHUB_TOKEN')?.value, '');
  });

  it('is kept out of git and out of the image build once filled in', () => {
    assert.match(read('.gitignore'), /^deploy\.env$/m);
    assert.match(read('.dockerignore'), /^deploy\.env$/m);
  });
});

/** Names the product reads: the keys of domain/config.ts's env schemas, and @temporalio/envconfig's TEMPORAL_*. */
function namesTheProductReads(): Set<string> {
  const names = new Set<string>();
  for (const [, name] of read('domain/config.ts').matchAll(/^\s+([A-Z][A-Z0-9]*_[A-Z0-9_]+):/gm)) {
    names.add(name ?? '');
  }
  for (const [, name] of read('domain/config.ts').matchAll(/\b([A-Z][A-Z0-9]*_[A-Z0-9_]+): z\./g))
    names.add(name ?? '');
  const envconfig = join(PROJECT_ROOT, 'node_modules/@temporalio/envconfig/lib/envconfig-toml.js');
  for (const [name] of readFileSync(envconfig, 'utf8').matchAll(/TEMPORAL_[A-Z_]*[A-Z]/g)) names.add(name);
  return names;
}

const PRODUCT_SERVICES = ['worker', 'gateway', 'codec-server'];

describe('variables handed to the product', () => {
  const productNames = namesTheProductReads();
  const handed = PRODUCT_SERVICES.flatMap((name) => Object.keys(services[name]?.environment ?? {}));

  it('are all read by the product (a typo would be ignored silently)', () => {
    assert.deepEqual(
      handed.filter((name) => !productNames.has(name)),
      [],
    );
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const stages = [...dockerfile.matchAll(/^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/gim)];
  const finalStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));

  it('is multi-stage on glibc Node 20 and installs only production dependencies in the final image', () => {
    assert.ok(stages.length >= 2, 'multi-stage');
    assert.match(dockerfile, /^ARG NODE_IMAGE=node:20\.\d+\.\d+-bookworm-slim$/m);
    for (const [, image] of stages) assert.match(image ?? '', /^\$\{NODE_IMAGE\}$/);
    assert.match(dockerfile, /npm install --omit=dev/);
    assert.match(finalStage, /COPY --from=production-deps \/app\/node_modules/);
    assert.doesNotMatch(finalStage, /RUN npm install/);
  });

  it('runs as a non-root user', () => {
    const users = [...finalStage.matchAll(/^USER\s+(\S+)/gm)].map((match) => match[1]);
    assert.ok(users.length > 0, 'the final stage sets USER');
    assert.notEqual(users.at(-1), 'root');
    assert.notEqual(users.at(-1), '0');
  });

  it('keeps node_modules, dist, .git, local state and the team-stack build cache out of the build context', () => {
    const ignored = read('.dockerignore').split('\n');
    for (const entry of ['node_modules', 'dist', '.git', '.venv', '.data', '.team-stack'])
      assert.ok(ignored.includes(entry), entry);
  });
});

describe('entry points after `npm run build`', () => {
  const commands = [
    ...[...read('Dockerfile').matchAll(/^CMD \[(.*)\]$/gm)].map((match) => JSON.parse(`[${match[1]}]`) as string[]),
    ...Object.values(services).flatMap((service) => [service.command ?? [], service.healthcheck?.test ?? []]),
  ];
  const paths = [...new Set(commands.flat().filter((part): part is string => /^dist\/.*\.js$/.test(String(part))))];

  for (const path of paths) {
    it(`${path} exists`, () => {
      assert.ok(existsSync(join(PROJECT_ROOT, path)), `${path} is not built`);
    });
  }

  it('include the worker, its health check and the HTTP gateway', () => {
    for (const path of ['dist/worker/main.js', 'dist/worker/healthcheck.js', 'dist/mcp-gateway/main-http.js']) {
      assert.ok(paths.includes(path), path);
    }
  });
});
