import type { Kafka } from 'kafkajs';
import { SERVICE_NAMES, consumerGroupOf } from '@shop/contracts';
import { consumerLag } from '@shop/messaging';
import type { LagSource } from '../../application/ports';
import type { PartitionLagRow } from '../../domain/lag';

/** The services' own groups (what the lag alerts watch), from the brokers' committed offsets. */
export class KafkaLag implements LagSource {
  constructor(
    private readonly kafka: Kafka,
    private readonly groups: readonly string[] = SERVICE_NAMES.map(consumerGroupOf),
  ) {}

  lag(): Promise<PartitionLagRow[]> {
    return consumerLag(this.kafka, this.groups);
  }
}
