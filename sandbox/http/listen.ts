import { createServer, type Server } from 'node:http';

export interface ListeningServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

/** Listens first, so the URL is known before the handler (which embeds it in payloads) is built. */
export async function listen(host: string, port: number): Promise<ListeningServer> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address();
  if (bound === null || typeof bound === 'string') throw new Error('expected a TCP address');
  const hostname = bound.address.includes(':') ? `[${bound.address}]` : bound.address;
  return { server, url: `http://${hostname}:${bound.port}`, close: () => closeNow(server) };
}

/** Stops listening and drops every connection, including requests deliberately left hanging. */
function closeNow(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}
