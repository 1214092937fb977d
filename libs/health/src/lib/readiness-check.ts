/** A real dependency a service needs to do its job; /health/ready runs every one it has. */
export interface ReadinessCheck {
  readonly name: string;
  /** Resolves when the dependency answers; rejects (with the reason) otherwise. */
  check(): Promise<void>;
}

/** Multi-provider token: each infra module contributes the checks of what it connects to. */
export const READINESS_CHECKS = Symbol('READINESS_CHECKS');

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
