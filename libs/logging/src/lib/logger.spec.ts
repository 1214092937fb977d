import { Writable } from 'node:stream';
import pino from 'pino';
import { PinoNestLogger } from './logger';

describe('PinoNestLogger', () => {
  it('writes Nest logs as JSON lines with their context and level', () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(JSON.parse(String(chunk)));
        done();
      },
    });
    const logger = new PinoNestLogger(pino({ level: 'debug' }, sink));
    logger.log('started', 'NestApplication');
    logger.error('failed', 'trace here', 'Boot');
    logger.warn('careful');

    expect(lines).toEqual([
      expect.objectContaining({ level: 30, msg: 'started', context: 'NestApplication' }),
      expect.objectContaining({ level: 50, msg: 'failed', context: 'Boot', trace: 'trace here' }),
      expect.objectContaining({ level: 40, msg: 'careful' }),
    ]);
  });
});
