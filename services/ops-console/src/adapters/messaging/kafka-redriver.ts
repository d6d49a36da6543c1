import { DeadLetterStore, replayTargetOf, type ReliableProducer } from '@shop/messaging';
import type { Redriver, SendOutcome } from '../../application/ports';
import type { DeadLetterRecord } from '../../domain/dead-letter';
import type { DeadLetterFeed } from './dead-letter-feed';

/**
 * Sends dead letters back as `npm run dlq -- replay` does (DeadLetterStore.replay: the failing
 * service's first retry tier, its own headers kept, the replay count raised by one), one by one so
 * each record has its own outcome.
 */
export class KafkaRedriver implements Redriver {
  constructor(
    private readonly feed: DeadLetterFeed,
    private readonly store: DeadLetterStore,
    private readonly producer: ReliableProducer,
  ) {}

  targetOf(record: DeadLetterRecord): string {
    const letter = this.feed.letterOf(record.id);
    return letter ? replayTargetOf(letter) : `${record.service}-retry-1`;
  }

  async send(records: readonly DeadLetterRecord[]): Promise<SendOutcome[]> {
    const outcomes: SendOutcome[] = [];
    for (const record of records) {
      const letter = this.feed.letterOf(record.id);
      const target = this.targetOf(record);
      if (!letter) {
        outcomes.push({ id: record.id, target, error: 'no longer in the DLQ' });
        continue;
      }
      try {
        await this.store.replay([letter], this.producer);
        outcomes.push({ id: record.id, target });
      } catch (err) {
        outcomes.push({ id: record.id, target, error: (err as Error).message });
      }
    }
    return outcomes;
  }
}
