import { sql } from 'kysely';
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import { VERSION } from '../../version.ts';
import { defineRoute } from '../route.ts';

export const healthRoutes = [
  defineRoute({
    method: 'GET', url: '/api/v1/health', access: 'public', tags: ['system'], summary: '健康检查 / Health',
    responses: { 200: z.object({ status: z.literal('ok'), database: z.enum(['pglite', 'postgresql']), version: z.string() }) },
    handler: async ({ services }) => {
      try {
        await sql`select 1`.execute(services.database.db);
      } catch {
        throw new AppError('service_unavailable');
      }
      return { status: 'ok' as const, database: services.database.kind, version: VERSION };
    },
  }),
];
