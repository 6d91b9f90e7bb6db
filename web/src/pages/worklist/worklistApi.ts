// The worklist endpoints (第七条: what waits for the signed-in user, with its due date).
// Kept beside the pages that use them; they go through the shared client, so cookies, CSRF
// and problem+json errors behave as everywhere else.
import { download, request } from '../../api/client';
import type { WorkItem } from '../../api/types';

export const worklistApi = {
  /** `background`: a timed poll, which must not keep an idle session alive. */
  list: (options: { signal?: AbortSignal; background?: boolean } = {}) => request<{ items: WorkItem[] }>('GET', '/worklist', options),
  export: () => download('/worklist/export', {}, 'worklist.xlsx'),
};
