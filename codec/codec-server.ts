import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Payload, PayloadCodec } from '@temporalio/common';
import type { Redactor } from '../domain/redaction.js';
import { isOneOfSecrets } from '../domain/secret-match.js';

/** Payloads as the Web UI and the CLI send them (and as a history's JSON holds them): every byte field in base64. */
export interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

export interface CodecServerOptions {
  host: string;
  port: number;
  codec: PayloadCodec;
  /** Web UI origins whose pages may call the codec from the browser. */
  corsOrigins: string[];
  /** When set, every call needs `Authorization: Bearer <token>` (the CLI's --codec-auth sends it). */
  authToken?: string;
  /** Applied to decoded payloads: what an operator displays must not show an approval or GitHub token. */
  redact: Redactor;
}

export interface RunningCodecServer {
  url: string;
  close(): Promise<void>;
}

// Temporal caps a payload at 2 MiB; the UI sends a whole history's worth in one call.
const MAX_BODY_BYTES = 16 * 1024 * 1024;

const fromBase64 = (text: string | undefined) => new Uint8Array(Buffer.from(text ?? '', 'base64'));
const toBase64 = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? new Uint8Array()).toString('base64');

export function payloadFromJson(payload: JsonPayload): Payload {
  const metadata = Object.fromEntries(
    Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, fromBase64(value)]),
  );
  return { metadata, data: fromBase64(payload.data) };
}

export function payloadToJson(payload: Payload): JsonPayload {
  const metadata = Object.fromEntries(
    Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, toBase64(value)]),
  );
  return { metadata, data: toBase64(payload.data) };
}

function redactPayload(payload: Payload, redact: Redactor): Payload {
  const encoding = Buffer.from(payload.metadata?.encoding ?? new Uint8Array()).toString('utf8');
  if (encoding !== 'json/plain' || !payload.data) return payload;
  return { ...payload, data: new Uint8Array(Buffer.from(redact(Buffer.from(payload.data).toString('utf8')))) };
}

function authorized(request: IncomingMessage, token: string | undefined): boolean {
  if (token === undefined) return true;
  return isOneOfSecrets(request.headers.authorization?.replace(/^Bearer\s+/i, '') ?? '', [token]);
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new RequestError(413, `The body is larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

class RequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function parsePayloads(body: string): Payload[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new RequestError(400, 'The body must be JSON: {"payloads": [{"metadata": {...}, "data": "<base64>"}]}');
  }
  const payloads = (parsed as { payloads?: unknown }).payloads;
  if (!Array.isArray(payloads)) throw new RequestError(400, 'The body must hold a "payloads" array');
  return payloads.map((payload) => payloadFromJson(payload as JsonPayload));
}

/**
 * Temporal's remote codec protocol (POST /encode, POST /decode), so the Web UI and the CLI can show encrypted
 * payloads and encode an approval signal an operator types. It holds the keys: bind it where only operators reach it.
 */
export function startCodecServer(options: CodecServerOptions): Promise<RunningCodecServer> {
  const cors = (request: IncomingMessage, response: ServerResponse) => {
    const origin = request.headers.origin;
    if (origin && options.corsOrigins.includes(origin)) {
      response.setHeader('access-control-allow-origin', origin);
      response.setHeader('access-control-allow-credentials', 'true');
      response.setHeader('access-control-allow-methods', 'POST, OPTIONS');
      response.setHeader('access-control-allow-headers', 'content-type, x-namespace, authorization');
      response.setHeader('vary', 'origin');
    }
  };
  const reply = (response: ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  const server = createServer(async (request, response) => {
    cors(request, response);
    const path = (request.url ?? '/').split('?')[0];
    try {
      if (request.method === 'OPTIONS') return void response.writeHead(204).end();
      if (request.method === 'GET' && path === '/healthz') return reply(response, 200, { status: 'ok' });
      if (request.method !== 'POST' || (path !== '/encode' && path !== '/decode')) {
        throw new RequestError(404, 'The codec server answers POST /encode, POST /decode and GET /healthz');
      }
      if (!authorized(request, options.authToken)) throw new RequestError(401, 'A valid bearer token is required');
      const payloads = parsePayloads(await readBody(request));
      const coded =
        path === '/encode'
          ? await options.codec.encode(payloads)
          : (await options.codec.decode(payloads)).map((payload) => redactPayload(payload, options.redact));
      reply(response, 200, { payloads: coded.map(payloadToJson) });
    } catch (error) {
      const status = error instanceof RequestError ? error.status : 400;
      reply(response, status, { error: error instanceof Error ? error.message : String(error) });
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : options.port;
      const host = options.host.includes(':') ? `[${options.host}]` : options.host;
      resolve({
        url: `http://${host}:${port}`,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
