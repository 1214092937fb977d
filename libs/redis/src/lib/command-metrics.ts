import type Redis from 'ioredis';
import { Histogram, processMetric } from '@chat/metrics';

export const redisCommandDuration = processMetric(
  new Histogram({
    name: 'redis_command_duration_seconds',
    help: 'Seconds from sending a Redis command to its reply (or failure), by command and result (ok, error)',
    labelNames: ['command', 'result'],
    buckets: [0.0002, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [],
  }),
);

/**
 * Times every command of this client at its one door, sendCommand, which pipelines and
 * MULTI use too (one sample per command): no call site has to remember to wrap its calls.
 */
export function instrumentRedis(redis: Redis): Redis {
  const send = redis.sendCommand.bind(redis);
  redis.sendCommand = (command, stream) => {
    const end = redisCommandDuration.startTimer({ command: command.name.toLowerCase() });
    command.promise.then(
      () => end({ result: 'ok' }),
      () => end({ result: 'error' }),
    );
    return send(command, stream);
  };
  return redis;
}
