// The image's HEALTHCHECK: exit 0 when GET /health/ready on the app's port answers 2xx. The
// image has node but no curl. The port: the app's *_PORT variable, else its default (health-port,
// written at build time from APP).
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const PORT_VARIABLES = ['GATEWAY_PORT', 'PERSISTER_PORT', 'PRESENCE_PORT', 'ANALYTICS_PORT', 'WEB_PORT'];
const port = PORT_VARIABLES.map((name) => process.env[name]).find(Boolean) ?? readFileSync(join(__dirname, 'health-port'), 'utf8').trim();

fetch(`http://127.0.0.1:${port}/health/ready`, { signal: AbortSignal.timeout(4000) }).then(
  (response) => process.exit(response.ok ? 0 : 1),
  () => process.exit(1),
);
