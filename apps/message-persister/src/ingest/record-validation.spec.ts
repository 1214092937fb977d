import { chatRecord, rawRecord, sourceRecord } from '../testing/fixtures';
import { splitBatch, validateRecord } from './record-validation';

describe('validateRecord', () => {
  it('turns a valid record into a Message carrying its Kafka offset', () => {
    const payload = chatRecord();
    const result = validateRecord(sourceRecord(payload, 17));
    expect(result).toEqual({ message: { ...payload, offset: 17 }, source: expect.anything() });
  });

  it.each([
    ['no value', rawRecord(null, 1), /no value/],
    ['not JSON', rawRecord('{oops', 1), /not JSON/],
    ['a contract violation', rawRecord(JSON.stringify({ ...chatRecord(), body: '' }), 1), /body/],
    ['a key other than the roomId', rawRecord(JSON.stringify(chatRecord()), 1, 'elsewhere'), /key "elsewhere" is not the roomId "lobby"/],
    ['no key', rawRecord(JSON.stringify(chatRecord()), 1, null), /key null/],
    ['a NUL character', rawRecord(JSON.stringify(chatRecord({ body: 'a\u0000b' })), 1), /must not contain U\+0000[\s\S]*body/],
    ['a lone surrogate', rawRecord(JSON.stringify(chatRecord({ clientMsgId: 'c\uD800' })), 1), /lone UTF-16 surrogate[\s\S]*clientMsgId/],
  ])('rejects a record with %s', (_, record, error) => {
    const result = validateRecord(record);
    expect(result).toEqual({ error: expect.stringMatching(error), source: record });
  });
});

describe('splitBatch', () => {
  it('splits a batch into valid and invalid records, each in batch order', () => {
    const records = [
      sourceRecord(chatRecord({ messageId: 'a' }), 1),
      rawRecord('garbage', 2),
      sourceRecord(chatRecord({ messageId: 'b' }), 3),
      rawRecord(null, 4),
    ];
    const { valid, invalid } = splitBatch(records);
    expect(valid.map((v) => [v.message.messageId, v.message.offset])).toEqual([
      ['a', 1],
      ['b', 3],
    ]);
    expect(invalid.map((i) => i.source.offset)).toEqual(['2', '4']);
  });
});
