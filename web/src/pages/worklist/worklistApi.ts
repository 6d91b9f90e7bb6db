// The worklist endpoints (第七条: what waits for the signed-in user, with its due date).
// Kept beside the pages that use them; they go through the shared client, so cookies, CSRF
// and problem+json errors behave as everywhere else.
import { download, request } from '../../api/client';
import type { WorkItem } from '../../api/types';

export const worklistApi = {
  list: (signal?: AbortSignal) => request<{ items: WorkItem[] }>('GET', '/worklist', { signal }),
  export: () => download('/worklist/export', {}, 'worklist.xlsx'),
};
