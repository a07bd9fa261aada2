import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import type { temporal } from '@temporalio/proto';
import { type JsonPayload, payloadFromJson } from '../../codec/codec-server.js';
import { isEncrypted } from '../../codec/encryption-codec.js';
import { TEST_CODEC } from './temporal-env.js';

const PAYLOAD_DATA = /"data":\s*"([A-Za-z0-9+/=]*)"/g;
const utf8 = (base64: string) => Buffer.from(base64, 'base64').toString('utf8');

/**
 * A workflow history as the server stores it, as text: every payload's bytes shown as UTF-8, so a search for a
 * secret sees what is really there; the proto form keeps payloads as base64, where a string search proves nothing.
 */
export function storedHistoryText(history: temporal.api.history.v1.IHistory): string {
  return historyToJSON(history).replace(PAYLOAD_DATA, (_, base64: string) => JSON.stringify(utf8(base64)));
}

async function decryptPayloads(value: unknown): Promise<unknown> {
  if (Array.isArray(value)) return Promise.all(value.map(decryptPayloads));
  if (typeof value !== 'object' || value === null) return value;
  const candidate = value as JsonPayload;
  if (candidate.metadata && typeof candidate.data === 'string') {
    const payload = payloadFromJson(candidate);
    if (!isEncrypted(payload)) return value;
    const [decoded] = await TEST_CODEC.decode([payload]);
    return { decrypted: Buffer.from(decoded?.data ?? []).toString('base64') };
  }
  const entries = await Promise.all(
    Object.entries(value).map(async ([key, item]) => [key, await decryptPayloads(item)]),
  );
  return Object.fromEntries(entries);
}

/** The history as an operator reads it through the codec (the tests' keys): what it holds once decrypted. */
export async function decryptedHistoryText(history: temporal.api.history.v1.IHistory): Promise<string> {
  const decrypted = JSON.stringify(await decryptPayloads(JSON.parse(historyToJSON(history))));
  return decrypted.replace(/"(?:data|decrypted)":\s*"([A-Za-z0-9+/=]*)"/g, (_, base64: string) =>
    JSON.stringify(utf8(base64)),
  );
}
