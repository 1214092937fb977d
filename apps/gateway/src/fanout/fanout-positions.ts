import type { KafkaMessage } from 'kafkajs';

/**
 * The next offset this gateway has yet to emit, per topic and partition. Kafka redelivers from
 * the group's last commit after a rejoin (commits trail emits by up to a second), so whatever
 * lies below this position was already emitted and must not reach the sockets twice.
 */
export class FanoutPositions {
  private readonly next = new Map<string, bigint>();

  /** The records of a batch this gateway has not emitted yet, in partition order. */
  unseen(topic: string, partition: number, records: readonly KafkaMessage[]): readonly KafkaMessage[] {
    const next = this.next.get(key(topic, partition));
    if (next === undefined) return records;
    const firstUnseen = records.findIndex((record) => BigInt(record.offset) >= next);
    return firstUnseen === -1 ? [] : firstUnseen === 0 ? records : records.slice(firstUnseen);
  }

  /** Called once a batch's records went to the sockets. */
  emitted(topic: string, partition: number, records: readonly KafkaMessage[]): void {
    const last = records[records.length - 1];
    if (last) this.next.set(key(topic, partition), BigInt(last.offset) + 1n);
  }
}

function key(topic: string, partition: number): string {
  return `${partition}@${topic}`;
}
