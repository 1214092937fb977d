import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { OpsAuth } from '../ops-auth/ops-auth';
import { FORBIDDEN_REASON, UNAUTHORIZED_REASON } from '../ops-auth/ops-auth.guard';

export const DOCS_PATH = 'analytics/docs';

/**
 * OpenAPI of the read API at /analytics/docs (Swagger UI, from swagger-ui-dist in node_modules)
 * and /analytics/docs-json. Outside Nest's routing, so the operator check is a middleware here.
 */
export function setupApiDocs(app: INestApplication): void {
  const auth = app.get(OpsAuth);
  app.use([`/${DOCS_PATH}`, `/${DOCS_PATH}-json`, `/${DOCS_PATH}-yaml`], (req: IncomingMessage, res: ServerResponse, next: () => void) => {
    auth.check(req).then(
      (verdict) => {
        if (verdict.ok) return next();
        const status = verdict.why === 'forbidden' ? 403 : 401;
        res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...(status === 401 && { 'WWW-Authenticate': 'Bearer realm="analytics"' }) });
        res.end(JSON.stringify({ statusCode: status, message: status === 403 ? FORBIDDEN_REASON : UNAUTHORIZED_REASON }));
      },
      () => {
        res.writeHead(503, { 'Content-Type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ statusCode: 503, message: 'operator tokens cannot be verified now' }));
      },
    );
  });
  const config = new DocumentBuilder()
    .setTitle('Chat analytics')
    .setDescription('Live aggregates of chat activity and the services\' warnings and errors. In production every path needs a JWT with roles ["ops"].')
    .setVersion('1')
    .addBearerAuth()
    .build();
  SwaggerModule.setup(DOCS_PATH, app, () => readApiOnly(SwaggerModule.createDocument(app, config)), { jsonDocumentUrl: `${DOCS_PATH}-json`, yamlDocumentUrl: `${DOCS_PATH}-yaml` });
}

/** The one AppModule also holds health and metrics (the libs' controllers): the document is the read API's alone. */
function readApiOnly(document: OpenAPIObject): OpenAPIObject {
  const paths = Object.fromEntries(Object.entries(document.paths).filter(([path]) => path.startsWith('/analytics/')));
  return { ...document, paths };
}
