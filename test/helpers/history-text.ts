import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import type { temporal } from '@temporalio/proto';

/**
 * A workflow history as text with every payload decoded, so a search for a secret sees what the server stores;
 * the proto form keeps payloads as bytes, where a plain string search would find nothing and prove nothing.
 */
export function readableHistory(history: temporal.api.history.v1.IHistory): string {
  return historyToJSON(history).replace(/"data":\s*"([A-Za-z0-9+/=]*)"/g, (_, base64: string) =>
    JSON.stringify(Buffer.from(base64, 'base64').toString('utf8')),
  );
}
