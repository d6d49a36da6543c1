import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { OrderTraffic } from './order-traffic';

/** A stand-in order-service on loopback that accepts every order and notes when it came. */
async function acceptingOrders(): Promise<{ url: string; arrivals: number[]; close: () => void }> {
  const arrivals: number[] = [];
  const server = http.createServer((req, res) => {
    req.resume().on('end', () => {
      arrivals.push(Date.now());
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: crypto.randomUUID() }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, arrivals, close: () => server.close() };
}

describe('chaos order traffic', () => {
  it('places orders no faster than the rate asked for, whatever the number of customers', async () => {
    const service = await acceptingOrders();
    try {
      const traffic = new OrderTraffic(service.url, 'paced');
      const began = Date.now();
      const { placed } = await traffic.place(10, 8, 20);
      expect(placed.length).toBe(10);
      const requests = service.arrivals.length;
      expect(requests).toBeGreaterThanOrEqual(10);
      // The tenth order is due 9 / 20 s after the start: no earlier, however fast the answers.
      const tenthOrder = service.arrivals.sort((a, b) => a - b)[9]!;
      expect(tenthOrder - began).toBeGreaterThanOrEqual(440);
    } finally {
      service.close();
    }
  });
});
