import { BatchRetryLater } from '@chat/kafka';
import { classifyPersisterError } from './isolation';

const pgError = (code: string, message = 'pg error') => Object.assign(new Error(message), { code });

describe('classifyPersisterError', () => {
  it.each([
    ['22021 invalid byte sequence', '22021'],
    ['22001 value too long', '22001'],
    ['23502 not-null violation', '23502'],
    ['23514 check violation', '23514'],
    ['54000 program limit exceeded', '54000'],
  ])('takes %s for poison: retrying the same row cannot help', (_label, code) => {
    expect(classifyPersisterError(pgError(code))).toBe('poison');
  });

  it.each([
    ['08006 connection failure', '08006'],
    ['57P01 admin shutdown', '57P01'],
    ['57P03 cannot connect now', '57P03'],
    ['53300 too many connections', '53300'],
    ['40P01 deadlock', '40P01'],
  ])('takes %s for an outage: wait, never dead-letter', (_label, code) => {
    expect(classifyPersisterError(pgError(code))).toBe('outage');
  });

  it('takes network errors and lost connections for outages', () => {
    expect(classifyPersisterError(pgError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'))).toBe('outage');
    expect(classifyPersisterError(new Error('Connection terminated unexpectedly'))).toBe('outage');
    expect(classifyPersisterError(new BatchRetryLater('outage', new Error('x')))).toBe('outage');
  });

  it('leaves anything else unknown, for the retries and the health check to decide', () => {
    expect(classifyPersisterError(new TypeError('x is undefined'))).toBe('unknown');
    expect(classifyPersisterError(pgError('XX000', 'internal error'))).toBe('unknown');
    expect(classifyPersisterError(null)).toBe('unknown');
  });
});
