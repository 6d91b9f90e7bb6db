// Optimistic concurrency: editable records carry a version, sent back as If-Match.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';

/** The version in If-Match (`"3"`, `W/"3"` or `3`); a write without one is refused (428). */
export function ifMatchVersion(request: FastifyRequest): number {
  const raw = request.headers['if-match'];
  const match = typeof raw === 'string' ? /^(?:W\/)?"?(\d{1,9})"?$/.exec(raw.trim()) : null;
  if (!match) throw new AppError('conflict.precondition_required');
  return Number(match[1]);
}

export function setEtag(reply: FastifyReply, version: number) {
  reply.header('etag', `"${version}"`);
}
