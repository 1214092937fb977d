import { Controller, Get, Inject, Param, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { OpsAuth, opsCookie } from '../ops-auth/ops-auth';
import { FORBIDDEN_REASON, OpsAuthGuard, UNAUTHORIZED_REASON } from '../ops-auth/ops-auth.guard';
import type { Asset } from './dashboard-assets';
import { SummaryStream } from './summary-stream';

export const DASHBOARD_ASSETS = Symbol('DASHBOARD_ASSETS');

/** No inline script or style, nothing from elsewhere: the page, uPlot and the stream are all this origin's. */
const PAGE_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

function send(res: ServerResponse, status: number, asset: Asset): void {
  res.writeHead(status, {
    'Content-Type': asset.contentType,
    'Cache-Control': 'no-cache',
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': PAGE_CSP,
  });
  res.end(asset.body);
}

function sendJson(res: ServerResponse, status: number, body: object, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

/** The live dashboard (GET /analytics/dashboard) and the summary stream it draws from. */
@ApiExcludeController()
@Controller('analytics')
export class DashboardController {
  constructor(
    @Inject(OpsAuth) private readonly auth: OpsAuth,
    @Inject(SummaryStream) private readonly stream: SummaryStream,
    @Inject(DASHBOARD_ASSETS) private readonly assets: Map<string, Asset>,
  ) {}

  /**
   * A browser cannot put a bearer header on a navigation or an EventSource: in production an
   * operator opens `dashboard?token=<JWT>` once; the token becomes an HttpOnly cookie and the
   * address bar loses it (303 to the bare path).
   */
  @Get('dashboard')
  async page(@Req() req: IncomingMessage, @Res() res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const queryToken = url.searchParams.get('token');
    const verdict = queryToken === null ? await this.auth.check(req) : await this.auth.checkToken(queryToken);
    if (!verdict.ok) {
      const reason = verdict.why === 'forbidden' ? FORBIDDEN_REASON : `${UNAUTHORIZED_REASON}; a browser opens ${url.pathname}?token=<JWT>`;
      sendJson(res, verdict.why === 'forbidden' ? 403 : 401, { statusCode: verdict.why === 'forbidden' ? 403 : 401, message: reason });
      return;
    }
    if (queryToken !== null) {
      if ('expiresAtSec' in verdict) res.setHeader('Set-Cookie', opsCookie(queryToken, verdict.expiresAtSec - Date.now() / 1000, this.auth.required));
      res.writeHead(303, { Location: url.pathname });
      res.end();
      return;
    }
    send(res, 200, this.file('index.html'));
  }

  @Get('dashboard/:file')
  @UseGuards(OpsAuthGuard)
  asset(@Param('file') name: string, @Res() res: ServerResponse): void {
    const asset = name === 'index.html' ? undefined : this.assets.get(name);
    if (asset) send(res, 200, asset);
    else sendJson(res, 404, { statusCode: 404, message: `no dashboard file ${name}` });
  }

  /** Server-Sent Events: the GET /analytics/summary JSON as a `summary` event every ANALYTICS_SSE_INTERVAL_MS. */
  @Get('stream')
  @UseGuards(OpsAuthGuard)
  events(@Res() res: ServerResponse): void {
    if (!this.stream.add(res)) {
      sendJson(res, 503, { statusCode: 503, message: 'too many dashboards are streaming; retry later' }, { 'Retry-After': '5' });
    }
  }

  private file(name: string): Asset {
    const asset = this.assets.get(name);
    if (!asset) throw new Error(`dashboard asset ${name} was not loaded`);
    return asset;
  }
}
