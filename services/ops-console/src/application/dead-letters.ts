import { isParked, type DeadLetterRecord } from '../domain/dead-letter';
import { matchesQuery, newestFirst, type DeadLetterQuery } from '../domain/dead-letter-query';
import type { DeadLetterSource, OrderState, Orders } from './ports';

export interface DeadLetterListing {
  readonly records: readonly DeadLetterRecord[];
  /** The values present, to offer in the filters. */
  readonly services: readonly string[];
  readonly originalTopics: readonly string[];
  readonly errorClasses: readonly string[];
  readonly complete: boolean;
}

export interface DeadLetterDetail {
  readonly record: DeadLetterRecord;
  readonly parked: boolean;
  /** The order named by the record's key, now; undefined when there is none to ask about. */
  readonly order?: OrderState | { readonly unavailable: string };
}

/** Reading the DLQs: filtered lists, and one record with its order's state beside it. */
export class DeadLetters {
  constructor(
    private readonly source: DeadLetterSource,
    private readonly orders: Orders,
    private readonly maxReplays: number,
  ) {}

  list(query: DeadLetterQuery): DeadLetterListing {
    const all = this.source.all();
    const distinct = (pick: (r: DeadLetterRecord) => string) =>
      [...new Set(all.map(pick).filter(Boolean))].sort();
    return {
      records: all.filter((r) => matchesQuery(r, query)).sort(newestFirst),
      services: distinct((r) => r.service),
      originalTopics: distinct((r) => r.originalTopic),
      errorClasses: distinct((r) => r.errorClass),
      complete: this.source.caughtUp(),
    };
  }

  byIds(ids: readonly string[]): DeadLetterRecord[] {
    const wanted = new Set(ids);
    return this.source.all().filter((r) => wanted.has(r.id));
  }

  isParked(record: DeadLetterRecord): boolean {
    return isParked(record, this.maxReplays);
  }

  async detail(id: string): Promise<DeadLetterDetail | undefined> {
    const [record] = this.byIds([id]);
    if (!record) return undefined;
    return { record, parked: this.isParked(record), order: await this.orderOf(record) };
  }

  private async orderOf(record: DeadLetterRecord): Promise<DeadLetterDetail['order']> {
    if (!record.key) return undefined;
    try {
      return (
        (await this.orders.find(record.key)) ?? {
          unavailable: 'order-service does not know this order',
        }
      );
    } catch (err) {
      return { unavailable: `order-service did not answer: ${(err as Error).message}` };
    }
  }
}
