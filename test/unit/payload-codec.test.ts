// Payload encryption: AES-256-GCM with the key id in clear metadata, rotation by adding a key, owner-only key files,
// and the codec server the Web UI and the CLI call over HTTP (a real server on an ephemeral port).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Payload } from '@temporalio/common';
import { defaultPayloadConverter } from '@temporalio/common';
import { parseCodecKeys } from '../../codec/codec-keys.js';
import { payloadToJson, startCodecServer } from '../../codec/codec-server.js';
import { EncryptionCodec, PayloadDecryptionError } from '../../codec/encryption-codec.js';
import { loadCodecKeyring } from '../../codec/payload-encryption.js';
import { ConfigError } from '../../domain/config.js';
import { createRedactor } from '../../domain/redaction.js';

const keyEntry = (id: string) => `${id}=${randomBytes(32).toString('base64')}`;
const OLD = keyEntry('key-2026-01');
const NEW = keyEntry('key-2026-11');
const TOKEN = 'admin-token-never-in-clear-7f3a';
const approve = () => defaultPayloadConverter.toPayload({ token: TOKEN, approver: 'alice' });
const text = (payload: Payload) => Buffer.from(payload.data ?? new Uint8Array()).toString('utf8');
const metadata = (payload: Payload, key: string) => Buffer.from(payload.metadata?.[key] ?? []).toString('utf8');

describe('the encryption codec', () => {
  it('encrypts a payload whole, names the key in clear, and decodes it back', async () => {
    const codec = new EncryptionCodec(parseCodecKeys(`${NEW},${OLD}`, 'test'));
    const [encoded] = await codec.encode([approve()]);
    assert.ok(encoded);
    assert.equal(metadata(encoded, 'encoding'), 'binary/encrypted');
    assert.equal(metadata(encoded, 'encryption-key-id'), 'key-2026-11');
    assert.ok(!Buffer.from(encoded.data ?? []).includes(TOKEN), 'no token in the ciphertext');
    assert.ok(!Buffer.from(encoded.data ?? []).includes('json/plain'), 'not even the inner encoding');
    const [decoded] = await codec.decode([encoded]);
    assert.deepEqual(defaultPayloadConverter.fromPayload(decoded as Payload), { token: TOKEN, approver: 'alice' });
  });

  it('rotates by adding a key: the new key encrypts, payloads under the old one still decode', async () => {
    const [underOld] = await new EncryptionCodec(parseCodecKeys(OLD, 'test')).encode([approve()]);
    const rotated = new EncryptionCodec(parseCodecKeys(`${NEW}\n${OLD}`, 'test'));
    const [decoded] = await rotated.decode([underOld as Payload]);
    assert.equal(JSON.parse(text(decoded as Payload)).token, TOKEN);
    const [underNew] = await rotated.encode([approve()]);
    assert.equal(metadata(underNew as Payload, 'encryption-key-id'), 'key-2026-11');
  });

  it('says which key is missing when an old key was dropped too early', async () => {
    const [underOld] = await new EncryptionCodec(parseCodecKeys(OLD, 'test')).encode([approve()]);
    await assert.rejects(
      new EncryptionCodec(parseCodecKeys(NEW, 'test')).decode([underOld as Payload]),
      (error: Error) =>
        error instanceof PayloadDecryptionError && /'key-2026-01'.*PAYLOAD_CODEC_KEYS/.test(error.message),
    );
  });

  it('refuses a payload that was altered or relabelled with another key id', async () => {
    const codec = new EncryptionCodec(parseCodecKeys(`${NEW},${OLD}`, 'test'));
    const [encoded] = (await codec.encode([approve()])) as [Payload];
    const flipped = new Uint8Array(encoded.data ?? []);
    flipped[20] = (flipped[20] ?? 0) ^ 1;
    await assert.rejects(codec.decode([{ ...encoded, data: flipped }]), /failed authentication/);
    const relabelled = {
      ...encoded,
      metadata: { ...encoded.metadata, 'encryption-key-id': Buffer.from('key-2026-01') },
    };
    await assert.rejects(codec.decode([relabelled]), /failed authentication/);
  });

  it('passes payloads that were never encrypted through decode (histories from before a key was set)', async () => {
    const plain = approve();
    const [decoded] = await new EncryptionCodec(parseCodecKeys(NEW, 'test')).decode([plain]);
    assert.equal(decoded, plain);
  });
});

describe('payload keys', () => {
  it('rejects malformed keys by entry and id, never echoing key material', () => {
    const short = `short=${randomBytes(16).toString('base64')}`;
    for (const [keys, problem] of [
      [short, /key 'short' must be 32 bytes/],
      [`no-separator`, /entry 1 must be <key id>=<base64 key>/],
      [`bad id!=${randomBytes(32).toString('base64')}`, /entry 1 must be/],
      [`${NEW},${NEW}`, /appears twice/],
      [' , ', /holds no key/],
    ] as const) {
      assert.throws(
        () => parseCodecKeys(keys, 'PAYLOAD_CODEC_KEYS'),
        (error: Error) =>
          error instanceof ConfigError &&
          problem.test(error.message) &&
          error.message.includes('PAYLOAD_CODEC_KEYS') &&
          !error.message.includes(short.split('=')[1] as string),
      );
    }
  });

  it('loads a key file only when no one else can read it', async (t) => {
    const folder = await mkdtemp(join(tmpdir(), 'deploy-orchestrator-keys-'));
    t.after(() => rm(folder, { recursive: true, force: true }));
    const file = join(folder, 'codec-keys');
    await writeFile(file, `# rotated 2026-11\n${NEW}\n${OLD}\n`, { mode: 0o644 });
    await chmod(file, 0o644);
    await assert.rejects(
      loadCodecKeyring({ keyFile: file }),
      /can be read by other users \(mode 644\); run `chmod 600/,
    );
    await chmod(file, 0o600);
    const keyring = await loadCodecKeyring({ keyFile: file });
    assert.equal(keyring?.encryptWith.id, 'key-2026-11');
    assert.deepEqual([...(keyring?.keysById.keys() ?? [])], ['key-2026-11', 'key-2026-01']);
    assert.equal(await loadCodecKeyring({}), null);
  });
});

describe('the codec server', () => {
  const UI = 'http://127.0.0.1:8233';
  async function withServer(authToken: string | undefined, run: (url: string) => Promise<void>) {
    const server = await startCodecServer({
      host: '127.0.0.1',
      port: 0,
      codec: new EncryptionCodec(parseCodecKeys(NEW, 'test')),
      corsOrigins: [UI],
      ...(authToken ? { authToken } : {}),
      redact: createRedactor([TOKEN]),
    });
    try {
      await run(server.url);
    } finally {
      await server.close();
    }
  }
  const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  it('encodes what the UI sends and decodes it for display with approval tokens redacted', async () => {
    await withServer(undefined, async (url) => {
      const encoded = await post(`${url}/encode`, { payloads: [payloadToJson(approve())] }, { origin: UI });
      assert.equal(encoded.status, 200);
      assert.equal(encoded.headers.get('access-control-allow-origin'), UI);
      const { payloads } = (await encoded.json()) as { payloads: { metadata: Record<string, string>; data: string }[] };
      assert.equal(Buffer.from(payloads[0]?.metadata.encoding ?? '', 'base64').toString(), 'binary/encrypted');
      const decoded = await post(`${url}/decode`, { payloads });
      const shown = (await decoded.json()) as { payloads: { data: string }[] };
      assert.deepEqual(JSON.parse(Buffer.from(shown.payloads[0]?.data ?? '', 'base64').toString()), {
        token: '[REDACTED]',
        approver: 'alice',
      });
    });
  });

  it('answers a preflight for the Web UI only, and a bad body with 400', async () => {
    await withServer(undefined, async (url) => {
      const preflight = await fetch(`${url}/decode`, { method: 'OPTIONS', headers: { origin: UI } });
      assert.equal(preflight.status, 204);
      assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /x-namespace/);
      const foreign = await post(`${url}/decode`, { payloads: [] }, { origin: 'https://evil.example' });
      assert.equal(foreign.headers.get('access-control-allow-origin'), null);
      const bad = await fetch(`${url}/decode`, { method: 'POST', body: 'not json' });
      assert.equal(bad.status, 400);
      assert.match(((await bad.json()) as { error: string }).error, /must be JSON/);
    });
  });

  it('asks for the bearer token when one is configured, and keeps its health check open', async () => {
    await withServer('codec-secret-token-123', async (url) => {
      assert.equal((await post(`${url}/decode`, { payloads: [] })).status, 401);
      assert.equal((await post(`${url}/decode`, { payloads: [] }, { authorization: 'Bearer wrong' })).status, 401);
      const ok = await post(`${url}/decode`, { payloads: [] }, { authorization: 'Bearer codec-secret-token-123' });
      assert.equal(ok.status, 200);
      assert.equal((await fetch(`${url}/healthz`)).status, 200);
    });
  });
});
