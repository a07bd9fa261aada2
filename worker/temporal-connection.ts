import { loadClientConnectConfig } from '@temporalio/envconfig';
import { NativeConnection } from '@temporalio/worker';
import { setVariablesOnly } from '../domain/config.js';

/** Connects with Temporal's own settings (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TLS, profiles). */
export async function connectWorkerToTemporal(): Promise<{ connection: NativeConnection; namespace: string }> {
  const { connectionOptions, namespace } = loadClientConnectConfig({
    // Temporal's own reader takes an empty TEMPORAL_TLS_* or TEMPORAL_API_KEY as set (TLS on, empty paths).
    overrideEnvVars: setVariablesOnly(process.env),
  });
  const connection = await NativeConnection.connect(connectionOptions);
  return { connection, namespace: namespace ?? 'default' };
}
