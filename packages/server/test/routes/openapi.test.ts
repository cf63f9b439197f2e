import swagger from '@fastify/swagger';
import Fastify from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { expect, it } from 'vitest';
import { registerDataRoutes } from '../../src/api/routes/register.ts';
import type { Database } from '../../src/storage/database.ts';
import '../../src/api/context.ts';

it('generates an OpenAPI document with a summary, tags and schemas for every read route', async () => {
  const app = Fastify().withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await app.register(swagger, {
    openapi: { openapi: '3.1.0', info: { title: 'test', version: '0' } },
    transform: jsonSchemaTransform,
  });
  registerDataRoutes(app, { db: {} as Database });
  await app.ready();
  const doc = app.swagger() as {
    paths: Record<string, { get: Record<string, unknown> & { parameters?: { name: string }[] } }>;
  };
  const paths = Object.keys(doc.paths).sort();
  expect(paths).toEqual([
    '/api/v1/attributes',
    '/api/v1/logs',
    '/api/v1/metrics',
    '/api/v1/metrics/query',
    '/api/v1/models',
    '/api/v1/services',
    '/api/v1/spans',
    '/api/v1/traces',
    '/api/v1/traces/{traceId}',
    '/api/v1/traces/{traceId}/spans/{spanId}',
    '/api/v1/traces/{traceId}/waterfall',
  ]);
  for (const path of paths) {
    const op = doc.paths[path]!.get;
    expect(op.summary, path).toEqual(expect.any(String));
    expect(op.tags, path).toEqual([expect.any(String)]);
    expect(op.responses, path).toHaveProperty('200');
  }
  const traceParams = doc.paths['/api/v1/traces']!.get.parameters!.map((p) => p.name);
  expect(traceParams).toEqual(
    expect.arrayContaining(['service', 'attr', 'q', 'from', 'to', 'sort', 'limit', 'cursor']),
  );
  await app.close();
});
