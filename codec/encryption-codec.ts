import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import proto from '@temporalio/proto';
import type { CodecKeyring } from './codec-keys.js';

const ENCRYPTED_ENCODING = 'binary/encrypted';
const KEY_ID_METADATA = 'encryption-key-id';
// The proto package is CommonJS: its namespace comes through the default export under ESM.
const { Payload: PayloadMessage } = proto.temporal.api.common.v1;
const CIPHER = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class PayloadDecryptionError extends Error {
  override name = 'PayloadDecryptionError';
}

function metadataText(payload: Payload, key: string): string | undefined {
  const value = payload.metadata?.[key];
  return value ? decoder.decode(value) : undefined;
}

export function isEncrypted(payload: Payload): boolean {
  return metadataText(payload, 'encoding') === ENCRYPTED_ENCODING;
}

/**
 * AES-256-GCM over the whole serialized payload (its metadata too, so even the encoding is hidden). The key id
 * travels in clear metadata, so a payload written before a rotation still finds its key; the id is also the
 * cipher's additional data, so a payload relabelled with another key id fails to decrypt instead of misleading.
 * Payloads that were never encrypted (histories from before a key was configured) pass through decode unchanged.
 */
export class EncryptionCodec implements PayloadCodec {
  constructor(private readonly keyring: CodecKeyring) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.encrypt(payload));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => (isEncrypted(payload) ? this.decrypt(payload) : payload));
  }

  private encrypt(payload: Payload): Payload {
    const { id, key } = this.keyring.encryptWith;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(CIPHER, key, iv);
    cipher.setAAD(encoder.encode(id));
    const plain = PayloadMessage.encode(payload).finish();
    const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    return {
      metadata: { encoding: encoder.encode(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: encoder.encode(id) },
      data: new Uint8Array(sealed),
    };
  }

  private decrypt(payload: Payload): Payload {
    const id = metadataText(payload, KEY_ID_METADATA) ?? '';
    const key = this.keyring.keysById.get(id);
    if (!key) {
      throw new PayloadDecryptionError(
        `A payload is encrypted with key id '${id}', which is not among the configured keys: add it back to PAYLOAD_CODEC_KEYS (after a rotation, keep the old keys after the new one)`,
      );
    }
    const sealed = Buffer.from(payload.data ?? new Uint8Array());
    try {
      const decipher = createDecipheriv(CIPHER, key, sealed.subarray(0, IV_BYTES));
      decipher.setAAD(encoder.encode(id));
      decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
      const plain = Buffer.concat([
        decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)),
        decipher.final(),
      ]);
      return PayloadMessage.decode(plain) as Payload;
    } catch {
      throw new PayloadDecryptionError(
        `A payload under key id '${id}' failed authentication: it was altered, or the key with that id changed`,
      );
    }
  }
}
