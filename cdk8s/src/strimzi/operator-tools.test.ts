import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { OPERATOR_USER } from '@shop/contracts';
import { toolSecurity } from '../../../scripts/kafka-tool';
import { K8S_DIR } from '../main';
import { readManifests } from '../manifests';

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef: { name: string; key: string } };
}
interface PodSpec {
  containers: Array<{
    env: EnvVar[];
    volumeMounts: Array<{ name: string; mountPath: string }>;
  }>;
  volumes: Array<{ name: string; secret?: { secretName: string } }>;
}

const [job] = readManifests(path.join(K8S_DIR, 'operator-tools'));
const strimzi = readManifests(path.join(K8S_DIR, 'strimzi'));
const spec = (job!.spec as unknown as { template: { spec: PodSpec } }).template.spec;
const container = spec.containers[0]!;
const env = Object.fromEntries(container.env.map((e) => [e.name, e]));

describe('the operator tools pod (k8s/operator-tools)', () => {
  it('logs in as the operator KafkaUser with the password Strimzi writes for it', () => {
    expect(strimzi.some((m) => m.kind === 'KafkaUser' && m.metadata.name === OPERATOR_USER)).toBe(
      true,
    );
    expect(env.KAFKA_SASL_USERNAME?.value).toBe(OPERATOR_USER);
    expect(env.KAFKA_SASL_PASSWORD?.valueFrom?.secretKeyRef).toEqual({
      name: OPERATOR_USER,
      key: 'password',
    });
  });

  it('reaches the TLS + SCRAM listener through the bootstrap service, trusting the cluster CA', () => {
    const kafka = strimzi.find((m) => m.kind === 'Kafka')!;
    const listener = (
      kafka.spec as {
        kafka: {
          listeners: Array<{ port: number; tls: boolean; authentication: { type: string } }>;
        };
      }
    ).kafka.listeners[0]!;
    expect(listener).toMatchObject({ tls: true, authentication: { type: 'scram-sha-512' } });
    expect(env.KAFKA_BROKERS?.value).toBe(
      `${kafka.metadata.name}-kafka-bootstrap:${listener.port}`,
    );
    expect(env.KAFKA_SASL_MECHANISM?.value).toBe(listener.authentication.type);
    const caFile = env.KAFKA_SSL_CA_FILE!.value!;
    const mount = container.volumeMounts.find((m) => caFile.startsWith(`${m.mountPath}/`))!;
    expect(spec.volumes.find((v) => v.name === mount.name)?.secret?.secretName).toBe(
      `${kafka.metadata.name}-cluster-ca-cert`,
    );
    expect(path.basename(caFile)).toBe('ca.crt');
  });

  it('sets exactly what the tools read: they take SCRAM and TLS from it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ca-'));
    const ca = path.join(dir, 'ca.crt');
    fs.writeFileSync(ca, '-----BEGIN CERTIFICATE-----\n');
    const asInThePod = {
      ...Object.fromEntries(container.env.map((e) => [e.name, e.value])),
      KAFKA_SASL_PASSWORD: 'from-the-secret',
      KAFKA_SSL_CA_FILE: ca,
    };
    expect(toolSecurity(asInThePod)).toEqual({
      sasl: { mechanism: 'scram-sha-512', username: OPERATOR_USER, password: 'from-the-secret' },
      caCertificate: '-----BEGIN CERTIFICATE-----\n',
    });
    fs.rmSync(dir, { recursive: true });
  });
});
