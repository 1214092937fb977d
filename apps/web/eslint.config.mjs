import baseConfig, { typedTypeScript } from '../../eslint.config.mjs';

export default [
  ...baseConfig,
  typedTypeScript(import.meta.dirname),
  {
    // The browser client: ES modules using browser globals, plus `io` from /vendor/socket.io.min.js.
    files: ['src/public/**/*.js'],
    languageOptions: { sourceType: 'module', globals: { io: 'readonly' } },
    rules: { 'no-undef': 'error' },
  },
];
