export * from './lib/load-config';
export * from './lib/security-env';
export * from './lib/check-security';
export * from './lib/token-auth-env';
