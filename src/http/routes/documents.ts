// 公文 downloads (第九条, 第十一条): the GB/T 9704 .docx of a decision in a project's history.
import { z } from 'zod';
import { decisionDocument } from '../../usecases/decision-documents.ts';
import { contentDisposition } from '../content-disposition.ts';
import { defineRoute } from '../route.ts';
import { uuid } from './schemas.ts';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

export const documentRoutes = [
  defineRoute({
    method: 'GET', url: '/api/v1/projects/:id/history/:actionId/document', access: 'project:read', tags: ['lifecycle'],
    summary: '下载公文 / The decision as a GB/T 9704 document (.docx): 批复, 不予批复, 退回通知, 备案回执',
    params: z.strictObject({ id: uuid, actionId: uuid }),
    handler: async ({ services, actor, params, reply }) => {
      const { fileName, buffer } = await decisionDocument(services, actor, params.id, params.actionId);
      return reply
        .header('content-type', DOCX)
        .header('content-length', String(buffer.length))
        .header('content-disposition', contentDisposition(fileName, `decision-${params.actionId}`))
        .header('x-content-type-options', 'nosniff')
        .send(buffer);
    },
  }),
];
