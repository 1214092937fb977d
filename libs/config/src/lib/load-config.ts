import { z } from 'zod';

/** Thrown at start-up when the environment does not satisfy an app's config schema. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses the environment against a schema whose keys are variable names, so every problem
 * names the variable to fix and the value it had.
 */
export function loadConfig<S extends z.ZodObject>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const variable = String(issue.path[0] ?? '(environment)');
    const value = env[variable];
    const shown = value === undefined ? 'unset' : `got ${JSON.stringify(value)}`;
    return `${variable}: ${issue.message} (${shown})`;
  });
  throw new ConfigError(problems);
}

/** Env helpers: each reads a string variable and says in its message what it expects. */
export const env = {
  port: (fallback: number) =>
    z.coerce
      .number({ message: 'expected a TCP port number' })
      .int('expected a TCP port number')
      .min(1, 'expected a TCP port between 1 and 65535')
      .max(65535, 'expected a TCP port between 1 and 65535')
      .default(fallback),
  positiveInt: (fallback: number) =>
    z.coerce.number({ message: 'expected a positive integer' }).int('expected a positive integer').positive('expected a positive integer').default(fallback),
  nonNegativeInt: (fallback: number) =>
    z.coerce.number({ message: 'expected an integer ≥ 0' }).int('expected an integer ≥ 0').min(0, 'expected an integer ≥ 0').default(fallback),
  string: (fallback: string) => z.string().min(1, 'must not be empty').default(fallback),
  flag: (fallback: boolean) =>
    z
      .enum(['true', 'false'], { message: 'expected true or false' })
      .default(fallback ? 'true' : 'false')
      .transform((v) => v === 'true'),
  /** Comma-separated `http(s)://host[:port]` origins, as browsers send them in the Origin header. */
  origins: (fallback: string) =>
    z
      .string()
      .default(fallback)
      .transform((s) => s.split(',').map((o) => o.trim()).filter(Boolean))
      .refine((list) => list.length > 0 && list.every(isOrigin), 'expected comma-separated origins like http://127.0.0.1:8080 (scheme, host, port; no path)'),
  brokers: (fallback: string) =>
    z
      .string()
      .default(fallback)
      .transform((s) => s.split(',').map((b) => b.trim()).filter(Boolean))
      .refine((list) => list.length > 0 && list.every((b) => /^[^:\s]+:\d+$/.test(b)), 'expected host:port[,host:port...]'),
  url: (fallback: string, protocols: string[]) =>
    z
      .string()
      .default(fallback)
      .refine((s) => hasProtocol(s, protocols), `expected a URL with protocol ${protocols.join(' or ')}`),
  optionalUrl: (protocols: string[]) =>
    z
      .string()
      .refine((s) => hasProtocol(s, protocols), `expected a URL with protocol ${protocols.join(' or ')}`)
      .optional(),
  logLevel: () =>
    z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
        message: 'expected one of fatal, error, warn, info, debug, trace, silent',
      })
      .default('info'),
};

/** `http(s)://host[:port]` exactly as the URL's origin spells it (no path, no trailing slash). */
function isOrigin(candidate: string): boolean {
  try {
    const url = new URL(candidate);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === candidate;
  } catch {
    return false;
  }
}

function hasProtocol(candidate: string, protocols: string[]): boolean {
  try {
    return protocols.includes(new URL(candidate).protocol);
  } catch {
    return false;
  }
}
