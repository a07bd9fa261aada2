import { loadClientConnectConfig } from '@temporalio/envconfig';
import { NativeConnection, TransportError } from '@temporalio/worker';
import { setVariablesOnly, TemporalUnreachableError } from '../domain/config.js';

// Where the SDK connects when nothing names an address.
const DEFAULT_TEMPORAL_ADDRESS = 'localhost:7233';

/** Connects with Temporal's own settings (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TLS, profiles). */
export async function connectWorkerToTemporal(): Promise<{ connection: NativeConnection; namespace: string }> {
  const { connectionOptions, namespace } = loadClientConnectConfig({
    // Temporal's own reader takes an empty TEMPORAL_TLS_* or TEMPORAL_API_KEY as set (TLS on, empty paths).
    overrideEnvVars: setVariablesOnly(process.env),
  });
  const connection = await NativeConnection.connect(connectionOptions).catch((error: unknown) => {
    // The core SDK's transport failure: nothing answered at the address (an authentication error is not this).
    if (error instanceof TransportError) {
      throw new TemporalUnreachableError(connectionOptions.address ?? DEFAULT_TEMPORAL_ADDRESS);
    }
    throw error;
  });
  return { connection, namespace: namespace ?? 'default' };
}
