import { kafkaConnectionOptions } from './kafka.module';

describe('kafkaConnectionOptions', () => {
  it('is plaintext without security settings', () => {
    expect(kafkaConnectionOptions(undefined)).toEqual({});
    expect(kafkaConnectionOptions({ tls: false })).toEqual({});
  });

  it('turns on TLS and SASL as configured', () => {
    expect(kafkaConnectionOptions({ tls: true })).toEqual({ ssl: true });
    const sasl = { mechanism: 'scram-sha-512', username: 'chat', password: 'pw' } as const;
    expect(kafkaConnectionOptions({ tls: true, sasl })).toEqual({ ssl: true, sasl });
    expect(kafkaConnectionOptions({ tls: false, sasl })).toEqual({ sasl });
  });
});
