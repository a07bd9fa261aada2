// The codec server: lets the Temporal Web UI and CLI show and encode the encrypted payloads of this product.
import { ConfigError, parseCodecServerConfig } from '../domain/config.js';
import { createRedactor, redactWrites, secretValues } from '../domain/redaction.js';
import { startCodecServer } from './codec-server.js';
import { EncryptionCodec } from './encryption-codec.js';
import { loadCodecKeyring } from './payload-encryption.js';

// Every log line goes to stderr; no secret this process holds may reach it.
const redact = createRedactor(secretValues(process.env));
redactWrites(process.stderr, redact);

try {
  const config = parseCodecServerConfig(process.env);
  const keyring = await loadCodecKeyring(config.payloadKeys);
  if (!keyring) {
    throw new ConfigError([
      'PAYLOAD_CODEC_KEYS or PAYLOAD_CODEC_KEY_FILE must be set: the codec server decodes with the keys the workers encrypt with',
    ]);
  }
  const server = await startCodecServer({
    host: config.host,
    port: config.port,
    codec: new EncryptionCodec(keyring),
    corsOrigins: config.corsOrigins,
    ...(config.authToken ? { authToken: config.authToken } : {}),
    redact,
  });
  console.error(`codec server: ${server.url} (encrypting with key '${keyring.encryptWith.id}')`);
  const stop = async () => {
    await server.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}
