import net from 'node:net';
import { portFreedWithin } from './processes';

function listen(): Promise<net.Server> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

const portOf = (server: net.Server) => (server.address() as net.AddressInfo).port;

describe('portFreedWithin', () => {
  it('waits for a port its holder releases in time', async () => {
    const holder = await listen();
    setTimeout(() => holder.close(), 300);
    await expect(portFreedWithin(portOf(holder), 3_000)).resolves.toBe(true);
  });

  it('gives up on a port that stays taken', async () => {
    const holder = await listen();
    try {
      await expect(portFreedWithin(portOf(holder), 300)).resolves.toBe(false);
    } finally {
      holder.close();
    }
  });
});
