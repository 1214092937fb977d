import { logLevel } from 'kafkajs';
import type { Logger } from '@chat/logging';
import { kafkaLogCreator } from './kafka-logger';

describe('kafkaLogCreator', () => {
  it('sends each kafkajs level to the matching structured level, fields kept', () => {
    const child = { error: jest.fn(), warn: jest.fn(), info: jest.fn(), debug: jest.fn() };
    const logger = { child: jest.fn(() => child) } as unknown as Logger;
    const log = kafkaLogCreator(logger)();
    const entry = (level: logLevel) => ({ namespace: 'x', level, label: '', log: { message: 'hello', timestamp: 't', broker: 'b:1' } });

    log(entry(logLevel.ERROR));
    log(entry(logLevel.WARN));
    log(entry(logLevel.INFO));
    log(entry(logLevel.DEBUG));

    expect(child.error).toHaveBeenCalledWith({ timestamp: 't', broker: 'b:1' }, 'hello');
    expect(child.warn).toHaveBeenCalledTimes(1);
    expect(child.info).toHaveBeenCalledTimes(1);
    expect(child.debug).toHaveBeenCalledTimes(1);
  });
});
