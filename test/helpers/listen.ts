import type { AddressInfo, Server } from 'node:net';

/** Listen on 127.0.0.1 port 0 and return the port; close() resolves once closed. */
export async function listen(server: Server): Promise<{ port: number; close: () => Promise<void> }> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const close = () =>
    new Promise<void>((resolve) => {
      const closeAll = (server as Server & { closeAllConnections?: () => void }).closeAllConnections;
      if (typeof closeAll === 'function') closeAll.call(server);
      server.close(() => resolve());
    });
  return { port, close };
}
