export * from './lib/signed-token';
