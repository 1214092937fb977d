import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { HISTORY_DEFAULT_LIMIT, JOIN_LATEST_COUNT, MAX_BODY_LENGTH, MAX_JOIN_MESSAGES, PUBLIC_ROOM_PATTERN, USER_ID_PATTERN } from '@chat/contracts';
import type { Logger } from '@chat/logging';
import { bearerTokenMatches, Counter, Registry } from '@chat/metrics';
import { mintDevToken, parseDevTokenRequest } from '../auth/dev-token';
import type { Readiness } from './gateway-readiness';
import type { WebConfig } from '../config/web.config';
import { securityHeaders } from './security-headers';
import { StaticFiles } from './static-files';

/** Largest POST body read (a dev-token request is a few dozen bytes). */
export const MAX_REQUEST_BYTES = 4 * 1024;

export interface WebServerDeps {
  config: Pick<WebConfig, 'WEB_GATEWAY_URLS' | 'AUTH_JWT_SECRET' | 'WEB_DEV_TOKENS'>;
  files: StaticFiles;
  logger: Logger;
  /** /health/ready: whether the gateways answer (GatewayReadiness). */
  readiness: Readiness;
  /** /metrics: this registry, behind `Authorization: Bearer <token>` when a token is set (METRICS_TOKEN). */
  metrics: { registry: Registry; token?: string };
}

/** Paths counted by name; everything else (static files, unknown paths) as `static`, to bound the labels. */
const NAMED_ROUTES = new Set(['/health/live', '/health/ready', '/metrics', '/config.json', '/dev/token']);

/** What GET /config.json tells the browser: where the gateways are, and the protocol's rules. */
export function clientConfig(config: WebServerDeps['config']) {
  return {
    gateways: config.WEB_GATEWAY_URLS,
    devTokens: config.WEB_DEV_TOKENS,
    protocol: {
      namespace: '/chat',
      userIdPattern: USER_ID_PATTERN.source,
      publicRoomPattern: PUBLIC_ROOM_PATTERN.source,
      maxBodyLength: MAX_BODY_LENGTH,
      joinLatestCount: JOIN_LATEST_COUNT,
      maxJoinMessages: MAX_JOIN_MESSAGES,
      historyPageSize: HISTORY_DEFAULT_LIMIT,
    },
  };
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** The path of a request target, still percent-encoded (origin-form or absolute-form). */
export function requestPath(target: string | undefined): string | null {
  if (!target) return null;
  if (target.startsWith('/')) return target.replace(/[?#].*$/s, '');
  try {
    return new URL(target).pathname;
  } catch {
    return null;
  }
}

/** The web client's HTTP server: static files, /config.json, /dev/token, health. */
export function createWebServer({ config, files, logger, readiness, metrics }: WebServerDeps): Server {
  const baseHeaders = securityHeaders(config.WEB_GATEWAY_URLS);
  const requests = new Counter({
    name: 'web_http_requests_total',
    help: 'HTTP requests answered by the web client server, by route and status',
    labelNames: ['route', 'status'],
    registers: [metrics.registry],
  });
  const configBody = JSON.stringify(clientConfig(config));

  const sendJson = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    const payload = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, {
      ...baseHeaders,
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(payload),
      'Cache-Control': 'no-store',
      ...headers,
    });
    res.end(res.req.method === 'HEAD' ? undefined : payload);
  };

  const allow = (req: IncomingMessage, methods: string[]) => {
    if (!methods.includes(req.method ?? '')) {
      throw new HttpError(405, 'METHOD_NOT_ALLOWED', `use ${methods.join(' or ')}`, { Allow: methods.join(', ') });
    }
  };

  const devToken = async (req: IncomingMessage, res: ServerResponse) => {
    if (!config.WEB_DEV_TOKENS) {
      throw new HttpError(404, 'NOT_FOUND', 'development tokens are disabled on this server (WEB_DEV_TOKENS=false)');
    }
    allow(req, ['POST']);
    const type = (req.headers['content-type'] ?? '').replace(/;.*$/s, '').trim().toLowerCase();
    if (type !== 'application/json') throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'send Content-Type: application/json');
    const raw = await readBody(req, MAX_REQUEST_BYTES);
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      throw new HttpError(400, 'INVALID_PAYLOAD', 'the body is not valid JSON');
    }
    const parsed = parseDevTokenRequest(body);
    if (!parsed.ok) throw new HttpError(400, 'INVALID_PAYLOAD', parsed.message);
    const token = mintDevToken(parsed.value, config.AUTH_JWT_SECRET);
    logger.info({ userId: parsed.value.userId }, 'minted a development token');
    sendJson(res, 200, { token });
  };

  const serveStatic = (req: IncomingMessage, res: ServerResponse, path: string) => {
    allow(req, ['GET', 'HEAD']);
    const file = files.lookup(path);
    if (!file) throw new HttpError(404, 'NOT_FOUND', 'no such file');
    const headers = {
      ...baseHeaders,
      'Content-Type': file.contentType,
      'Cache-Control': 'no-cache',
      ETag: file.etag,
    };
    if (req.headers['if-none-match'] === file.etag) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Length': file.body.length });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  };

  const scrape = async (req: IncomingMessage, res: ServerResponse) => {
    allow(req, ['GET']);
    if (metrics.token !== undefined && !bearerTokenMatches(req.headers.authorization, metrics.token)) {
      throw new HttpError(401, 'UNAUTHORIZED', '/metrics needs Authorization: Bearer <METRICS_TOKEN>');
    }
    const body = await metrics.registry.metrics();
    res.writeHead(200, { ...baseHeaders, 'Content-Type': metrics.registry.contentType, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store' });
    res.end(body);
  };

  const route = async (req: IncomingMessage, res: ServerResponse) => {
    const path = requestPath(req.url);
    if (path === null) throw new HttpError(400, 'BAD_REQUEST', 'bad request target');
    switch (path) {
      case '/health/live':
        allow(req, ['GET', 'HEAD']);
        return sendJson(res, 200, { status: 'ok' });
      case '/health/ready': {
        allow(req, ['GET', 'HEAD']);
        const report = await readiness.check();
        return sendJson(res, report.ready ? 200 : 503, { status: report.ready ? 'ok' : 'unavailable', gateways: report.gateways });
      }
      case '/metrics':
        return scrape(req, res);
      case '/config.json':
        allow(req, ['GET', 'HEAD']);
        return sendJson(res, 200, configBody);
      case '/dev/token':
        return devToken(req, res);
      default:
        return serveStatic(req, res, path);
    }
  };

  return createServer((req, res) => {
    const path = requestPath(req.url);
    res.once('finish', () => requests.inc({ route: path !== null && NAMED_ROUTES.has(path) ? path : 'static', status: String(res.statusCode) }));
    route(req, res).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (error instanceof HttpError) {
        sendJson(res, error.status, { error: { code: error.code, message: error.message } }, error.headers);
        return;
      }
      logger.error({ err: error, method: req.method, url: req.url }, 'request failed');
      sendJson(res, 500, { error: { code: 'INTERNAL', message: 'internal error' } });
    });
  });
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (declared > limit) {
      reject(new HttpError(413, 'PAYLOAD_TOO_LARGE', `the body must be at most ${limit} bytes`, { Connection: 'close' }));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.pause();
        reject(new HttpError(413, 'PAYLOAD_TOO_LARGE', `the body must be at most ${limit} bytes`, { Connection: 'close' }));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
