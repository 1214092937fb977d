import { CanActivate, ExecutionContext, ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { OpsAuth } from './ops-auth';

export const UNAUTHORIZED_REASON = 'an operator token is required: Authorization: Bearer <JWT with roles ["ops"]>';
export const FORBIDDEN_REASON = 'the token is valid but lacks the ops role';

/** 401 without an acceptable token, 403 with a valid one lacking the ops role; open outside production. */
@Injectable()
export class OpsAuthGuard implements CanActivate {
  constructor(@Inject(OpsAuth) private readonly auth: OpsAuth) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const verdict = await this.auth.check(http.getRequest<IncomingMessage>());
    if (verdict.ok) return true;
    if (verdict.why === 'forbidden') throw new ForbiddenException(FORBIDDEN_REASON);
    http.getResponse<ServerResponse>().setHeader('WWW-Authenticate', 'Bearer realm="analytics"');
    throw new UnauthorizedException(UNAUTHORIZED_REASON);
  }
}
