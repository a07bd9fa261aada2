import { randomBytes } from 'node:crypto';
import { ConfigError } from '../domain/config.js';

const KEY_BYTES = 32;
const KEY_ID = /^[A-Za-z0-9_.-]{1,64}$/;

/** The keys payloads are encrypted with: the first encrypts, every one decrypts (rotation = put a new key first). */
export interface CodecKeyring {
  readonly encryptWith: { id: string; key: Buffer };
  readonly keysById: ReadonlyMap<string, Buffer>;
}

/**
 * Reads `id=<base64 of 32 bytes>` entries, separated by commas or new lines (a key file may hold `#` comments).
 * `source` names where they came from, for the error: a key is never echoed.
 */
export function parseCodecKeys(text: string, source: string): CodecKeyring {
  const entries = text
    .split(/[\n,]/)
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter((line) => line.length > 0);
  const problems: string[] = [];
  const keysById = new Map<string, Buffer>();
  entries.forEach((entry, index) => {
    const separator = entry.indexOf('=');
    const id = entry.slice(0, separator).trim();
    const key = Buffer.from(entry.slice(separator + 1).trim(), 'base64');
    if (separator < 1 || !KEY_ID.test(id)) {
      problems.push(`${source}: entry ${index + 1} must be <key id>=<base64 key>, the id made of A-Z a-z 0-9 _ . -`);
    } else if (key.length !== KEY_BYTES) {
      problems.push(
        `${source}: key '${id}' must be ${KEY_BYTES} bytes in base64 (make one with: openssl rand -base64 32)`,
      );
    } else if (keysById.has(id)) {
      problems.push(`${source}: key id '${id}' appears twice; every key needs its own id`);
    } else {
      keysById.set(id, key);
    }
  });
  const [first] = keysById;
  if (problems.length > 0 || !first) {
    throw new ConfigError(problems.length > 0 ? problems : [`${source}: holds no key`]);
  }
  return { encryptWith: { id: first[0], key: first[1] }, keysById };
}

/** A fresh key entry, named by its creation date so a rotated-in key is told apart from the old one. */
export function newCodecKeyEntry(now = new Date()): string {
  const id = `key-${now.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-')}`;
  return `${id}=${randomBytes(KEY_BYTES).toString('base64')}`;
}
