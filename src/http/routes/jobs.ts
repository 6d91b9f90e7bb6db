// 后台任务: the progress of a long task the caller started (imports, exports).
import { z } from 'zod';
import { getBackgroundJob } from '../../usecases/background-jobs.ts';
import { defineRoute } from '../route.ts';
import { idParams } from './schemas.ts';

const backgroundJob = z.object({
  id: z.string(), kind: z.string(), status: z.enum(['queued', 'running', 'succeeded', 'failed']),
  progress: z.number().int().min(0).max(100), total: z.number().int().nullable(), done: z.number().int(),
  result: z.unknown().describe('what the task produced (its kind decides the shape); null until it succeeded'),
  error: z.string().nullable(), createdAt: z.string(), startedAt: z.string().nullable(), finishedAt: z.string().nullable(),
});

export const jobRoutes = [
  defineRoute({
    method: 'GET', url: '/api/v1/jobs/:id', access: 'authenticated', tags: ['jobs'],
    summary: '后台任务进度 / Progress of a background task (its creator only)',
    params: idParams, responses: { 200: backgroundJob },
    handler: async ({ services, actor, params }) => getBackgroundJob(services, actor, params.id),
  }),
];
