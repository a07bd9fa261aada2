import { readFile, stat } from 'node:fs/promises';
import type { DataConverter } from '@temporalio/common';
import { ConfigError, type PayloadKeySource } from '../domain/config.js';
import { type CodecKeyring, parseCodecKeys } from './codec-keys.js';
import { EncryptionCodec } from './encryption-codec.js';

async function readKeyFile(path: string): Promise<string> {
  const { mode } = await stat(path).catch((error: { code?: string }) => {
    throw new ConfigError([`PAYLOAD_CODEC_KEY_FILE: cannot read ${path} (${error.code ?? String(error)})`]);
  });
  // Like ssh with a private key: a key others can read is not a secret any more.
  if ((mode & 0o077) !== 0) {
    throw new ConfigError([
      `PAYLOAD_CODEC_KEY_FILE: ${path} can be read by other users (mode ${(mode & 0o777).toString(8)}); run \`chmod 600 ${path}\``,
    ]);
  }
  return readFile(path, 'utf8');
}

export async function loadCodecKeyring(source: PayloadKeySource): Promise<CodecKeyring | null> {
  if (source.keys) return parseCodecKeys(source.keys, 'PAYLOAD_CODEC_KEYS');
  if (source.keyFile)
    return parseCodecKeys(await readKeyFile(source.keyFile), `PAYLOAD_CODEC_KEY_FILE ${source.keyFile}`);
  return null;
}

/** The data converter every worker and client of one deployment shares: encrypting when keys are configured. */
export async function payloadDataConverter(source: PayloadKeySource): Promise<DataConverter | undefined> {
  const keyring = await loadCodecKeyring(source);
  return keyring ? { payloadCodecs: [new EncryptionCodec(keyring)] } : undefined;
}
