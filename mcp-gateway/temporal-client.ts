import { Client, Connection } from '@temporalio/client';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import { payloadDataConverter } from '../codec/payload-encryption.js';
import { type PayloadKeySource, setVariablesOnly, TemporalUnreachableError } from '../domain/config.js';

// Where the SDK connects when nothing names an address.
const DEFAULT_TEMPORAL_ADDRESS = 'localhost:7233';
// Long enough for a TLS handshake with a cloud service, short enough that a user who started nothing hears so soon.
const CONNECT_TIMEOUT = '5 seconds';

const UNAVAILABLE = 14;
const DEADLINE_EXCEEDED = 4;

/** The SDK's two ways of saying no server answered: the channel never got ready, or the first call could not go out. */
function noServerAnswered(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.message === 'Failed to connect before the deadline') return true;
  const code = (error.cause as { code?: number } | undefined)?.code;
  return (
    error.message === 'Failed to connect to Temporal server' && (code === UNAVAILABLE || code === DEADLINE_EXCEEDED)
  );
}

/**
 * Connects with Temporal's own settings (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TLS, profiles), and
 * the workers' payload keys: the gateway reads what they wrote and writes what they read.
 */
export async function connectTemporalClient(payloadKeys: PayloadKeySource): Promise<Client> {
  const { connectionOptions, namespace } = loadClientConnectConfig({
    // Temporal's own reader takes an empty TEMPORAL_TLS_* or TEMPORAL_API_KEY as set (TLS on, empty paths).
    overrideEnvVars: setVariablesOnly(process.env),
  });
  const dataConverter = await payloadDataConverter(payloadKeys);
  const connection = await Connection.connect({ ...connectionOptions, connectTimeout: CONNECT_TIMEOUT }).catch(
    (error: unknown) => {
      if (noServerAnswered(error)) {
        throw new TemporalUnreachableError(connectionOptions.address ?? DEFAULT_TEMPORAL_ADDRESS);
      }
      throw error;
    },
  );
  return new Client({ connection, namespace: namespace ?? 'default', ...(dataConverter ? { dataConverter } : {}) });
}
