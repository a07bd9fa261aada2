import { Client, Connection } from '@temporalio/client';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import { payloadDataConverter } from '../codec/payload-encryption.js';
import { type PayloadKeySource, setVariablesOnly } from '../domain/config.js';

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
  const connection = await Connection.connect(connectionOptions);
  return new Client({ connection, namespace: namespace ?? 'default', ...(dataConverter ? { dataConverter } : {}) });
}
