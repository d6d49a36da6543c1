import net from 'node:net';
import { ClusterProbe } from '@shop/messaging';
import { freePort, testKafka } from '@shop/testkit';
import { Kafka, logLevel } from 'kafkajs';

describe('ClusterProbe', () => {
  it('says the running cluster is reachable', async () => {
    const probe = new ClusterProbe(testKafka());
    await probe.connect();
    try {
      expect(await probe.reachable()).toBe(true);
    } finally {
      await probe.disconnect();
    }
  });

  it('says no, within its timeout, once the cluster stops answering', async () => {
    // A "broker" that accepts connections and never answers: the way a hung or partitioned
    // broker looks to a client, unlike a refused connection that fails at once.
    const silent = net.createServer(() => undefined);
    const port = await freePort();
    await new Promise<void>((resolve) => silent.listen(port, '127.0.0.1', resolve));
    const kafka = new Kafka({
      clientId: 'probe-test',
      brokers: [`127.0.0.1:${port}`],
      logLevel: logLevel.NOTHING,
      connectionTimeout: 10_000,
      requestTimeout: 10_000,
      retry: { retries: 0 },
    });
    const probe = new ClusterProbe(kafka, { timeoutMs: 500, cacheMs: 0 });
    try {
      const began = Date.now();
      expect(await probe.reachable()).toBe(false);
      expect(Date.now() - began).toBeLessThan(2_000);
      // The hung request is still out; a second probe waits on it instead of adding another.
      expect(await probe.reachable()).toBe(false);
    } finally {
      silent.close();
      await probe.disconnect().catch(() => undefined);
    }
  });
});
