import type { KafkaMessage } from 'kafkajs';
import { FanoutPositions } from './fanout-positions';

const records = (...offsets: number[]) => offsets.map((offset) => ({ offset: String(offset) }) as KafkaMessage);
const offsetsOf = (list: readonly KafkaMessage[]) => list.map((r) => Number(r.offset));

describe('FanoutPositions', () => {
  it('passes everything through for a partition it has not emitted from yet', () => {
    expect(offsetsOf(new FanoutPositions().unseen('t', 0, records(5, 6)))).toEqual([5, 6]);
  });

  it('drops what a redelivery replays and keeps what follows it', () => {
    const positions = new FanoutPositions();
    positions.emitted('t', 0, records(10, 11, 12));
    expect(offsetsOf(positions.unseen('t', 0, records(9, 10, 11, 12, 13, 14)))).toEqual([13, 14]);
    expect(positions.unseen('t', 0, records(11, 12))).toEqual([]);
  });

  it('keeps partitions and topics apart', () => {
    const positions = new FanoutPositions();
    positions.emitted('t', 0, records(100));
    expect(offsetsOf(positions.unseen('t', 1, records(3)))).toEqual([3]);
    expect(offsetsOf(positions.unseen('u', 0, records(3)))).toEqual([3]);
  });

  it('compares offsets as numbers beyond 2^53', () => {
    const positions = new FanoutPositions();
    positions.emitted('t', 0, [{ offset: '9007199254740993' } as KafkaMessage]);
    expect(offsetsOf(positions.unseen('t', 0, [{ offset: '9007199254740993' }, { offset: '9007199254740994' }] as KafkaMessage[]))).toEqual([
      9007199254740994,
    ]);
  });
});
