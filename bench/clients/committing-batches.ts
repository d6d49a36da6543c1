import type { Window } from './workload';

/** A fetched batch as kafkajs' eachBatch hands it over, and confluent's kafkaJS layer too. */
export interface Batch {
  readonly partition: number;
  readonly messages: readonly { readonly offset: string; readonly value: Buffer | null }[];
}

type CommitOffsets = (
  offsets: { topic: string; partition: number; offset: string }[],
) => Promise<unknown>;

/**
 * The consume task for the clients with kafkajs' batch API, written once so both do the same
 * work per record: each value parsed, the batch's offset committed before the next, the window
 * opened at the first record. `finished` resolves once `records` have been seen.
 */
export function committingBatches(
  topic: string,
  records: number,
  window: Window,
  commitOffsets: CommitOffsets,
): { eachBatch: (payload: { batch: Batch }) => Promise<void>; finished: Promise<void> } {
  let seen = 0;
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  return {
    finished,
    eachBatch: async ({ batch }) => {
      if (seen === 0) window.started();
      for (const message of batch.messages) JSON.parse(message.value!.toString());
      seen += batch.messages.length;
      const last = batch.messages.at(-1);
      if (!last) return;
      await commitOffsets([
        { topic, partition: batch.partition, offset: String(BigInt(last.offset) + 1n) },
      ]);
      if (seen >= records) done();
    },
  };
}
