/**
 * The key management API, guarded by the admin key: `POST /api/keys` mints a virtual key (the answer
 * is the only time the key is shown), `GET /api/keys` lists ids and settings (never keys or hashes),
 * `GET /api/keys/:id` shows one, `DELETE /api/keys/:id` revokes one. Keys live in the shared Store,
 * so any instance can manage them and every instance honours the result.
 */
import type { FastifyInstance } from 'fastify';
import type { GatewayContext, GatewayRoutes } from '../context.js';
import { GatewayError } from '../gateway-error.js';
import { requireAdmin } from '../keys/admin-key.js';
import { KeySettingsError, type VirtualKeyRecord } from '../keys/key-settings.js';
import type { VirtualKeys } from '../keys/virtual-keys.js';

/** The key routes over `virtualKeys` (the same object whose `authenticate` the context uses). */
export function createKeyRoutes(virtualKeys: VirtualKeys): GatewayRoutes {
  return async (app: FastifyInstance, context: GatewayContext) => {
    const admin = (headers: Record<string, string | string[] | undefined>) => requireAdmin(headers, context.settings);

    app.post('/api/keys', async (request, reply) => {
      admin(request.headers);
      let created: Awaited<ReturnType<VirtualKeys['keys']['create']>>;
      try {
        created = await virtualKeys.keys.create(request.body ?? {});
      } catch (error) {
        if (error instanceof KeySettingsError) {
          const field = /^([\w.]+):/.exec(error.message)?.[1];
          throw new GatewayError(400, error.message, {
            type: 'invalid_request_error',
            code: 'invalid_key_settings',
            ...(field === undefined ? {} : { param: field }),
          });
        }
        throw error;
      }
      reply.code(201);
      return { ...publicRecord(created.record), key: created.key };
    });

    app.get('/api/keys', async (request) => {
      admin(request.headers);
      return { object: 'list', data: await virtualKeys.keys.list() };
    });

    app.get<{ Params: { id: string } }>('/api/keys/:id', async (request) => {
      admin(request.headers);
      const record = await virtualKeys.keys.get(request.params.id);
      if (record === undefined) throw notFound(request.params.id);
      return publicRecord(record);
    });

    app.delete<{ Params: { id: string } }>('/api/keys/:id', async (request) => {
      admin(request.headers);
      const existed = await virtualKeys.keys.revoke(request.params.id);
      virtualKeys.forget();
      if (!existed) throw notFound(request.params.id);
      return { id: request.params.id, deleted: true };
    });
  };
}

function publicRecord({ hash: _hash, ...rest }: VirtualKeyRecord): Omit<VirtualKeyRecord, 'hash'> {
  return rest;
}

function notFound(id: string): GatewayError {
  return new GatewayError(404, `No virtual key with id '${id}'`, {
    type: 'invalid_request_error',
    code: 'key_not_found',
  });
}
