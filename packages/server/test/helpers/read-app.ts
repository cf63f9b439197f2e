/**
 * A small fastify app for route tests: zod compilers, a fixed principal, and an error
 * handler that maps PyflareError (and schema validation errors) to their status, like the
 * real app's central handler.
 */
import Fastify from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { isPyflareError, PyflareError, toProblem } from '../../src/errors.ts';
import '../../src/api/context.ts';
import type { ApiApp, ApiDeps } from '../../src/api/types.ts';
import type { Database } from '../../src/storage/database.ts';

export async function buildReadApp(
  db: Database,
  register: (app: ApiApp, deps: ApiDeps) => void,
  projectId = 'proj-a',
): Promise<ApiApp> {
  const app = Fastify().withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('principal', undefined);
  app.addHook('onRequest', async (request) => {
    request.principal = { projectId, scopes: ['read'], keyId: 'test' };
  });
  app.setErrorHandler((error, _request, reply) => {
    const e = hasZodFastifySchemaValidationErrors(error)
      ? new PyflareError('BAD_REQUEST', error.message)
      : isPyflareError(error)
        ? error
        : new PyflareError('INTERNAL', error instanceof Error ? error.message : String(error));
    if (e.code === 'INTERNAL') console.error(error);
    return reply.status(e.status).send({ ...toProblem(e), message: e.message });
  });
  register(app, { db });
  await app.ready();
  return app;
}
