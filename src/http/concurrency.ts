// Optimistic concurrency: editable records carry a version, sent back as If-Match.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';

/** The version in If-Match (`"3"`, `W/"3"` or `3`), or null when there is none. */
export function optionalIfMatchVersion(request: FastifyRequest): number | null {
  const raw = request.headers['if-match'];
  const match = typeof raw === 'string' ? /^(?:W\/)?"?(\d{1,9})"?$/.exec(raw.trim()) : null;
  return match ? Number(match[1]) : null;
}

/** The version in If-Match; an edit without one is refused (428). */
export function ifMatchVersion(request: FastifyRequest): number {
  const version = optionalIfMatchVersion(request);
  if (version === null) throw new AppError('conflict.precondition_required');
  return version;
}

export function setEtag(reply: FastifyReply, version: number) {
  reply.header('etag', `"${version}"`);
}
