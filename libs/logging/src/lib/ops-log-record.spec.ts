import { OpsLogRecordSchema } from '@chat/contracts';
import { toOpsLogRecord } from './ops-log-record';

const origin = { service: 'presence', instance: 'pod-a' };

describe('toOpsLogRecord', () => {
  it('skips lines below warn and lines that are not pino records', () => {
    expect(toOpsLogRecord(JSON.stringify({ level: 30, msg: 'info' }), origin)).toBeUndefined();
    expect(toOpsLogRecord('not json', origin)).toBeUndefined();
    expect(toOpsLogRecord('[1,2]', origin)).toBeUndefined();
  });

  it('keeps a record valid under the contract however long its fields are', () => {
    const record = toOpsLogRecord(
      JSON.stringify({ level: 60, time: 1_700_000_000_000, msg: 'x'.repeat(5000), err: { type: 'E'.repeat(300) }, messageId: 'm'.repeat(300) }),
      { service: 'presence', instance: 'i'.repeat(300) },
    );
    expect(record?.level).toBe('fatal');
    expect(record?.time).toBe('2023-11-14T22:13:20.000Z');
    expect(OpsLogRecordSchema.safeParse(record).success).toBe(true);
  });

  it('takes the message from the error when the line has none', () => {
    expect(toOpsLogRecord(JSON.stringify({ level: 50, err: { message: 'boom', type: 'Error' } }), origin)).toMatchObject({ message: 'boom', errorType: 'Error' });
  });
});
