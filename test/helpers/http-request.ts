import { request } from 'node:http';

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * One POST with chosen headers and body, answered as is; node:http, because fetch will not send a Host of our
 * choosing. MCP's Accept and a JSON content type are sent unless overridden.
 */
export function rawPost(
  url: string,
  headers: Record<string, string>,
  body: string,
  /** Another loopback source address (127.0.0.2, ...) is another client to the gateway. */
  localAddress?: string,
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        ...(localAddress ? { localAddress } : {}),
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    // The server may answer (413) and close before it has read the whole body.
    req.on('error', reject);
    req.end(body);
  });
}

export const toolsList = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' });

export function toolCall(name: string, args: unknown): string {
  return JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } });
}
