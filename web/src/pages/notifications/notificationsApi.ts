// The in-app notification endpoints. Marking read is a write, so the shared client sends the
// session's CSRF token with it.
import { request } from '../../api/client';
import type { NotificationPage } from '../../api/types';

export const notificationsApi = {
  /** `background`: a timed poll, which must not keep an idle session alive. */
  list: (query: { unreadOnly?: boolean; page: number; pageSize: number }, options: { signal?: AbortSignal; background?: boolean } = {}) =>
    request<NotificationPage>('GET', '/notifications', {
      query: { unreadOnly: query.unreadOnly ? 'true' : 'false', page: query.page, pageSize: query.pageSize },
      ...options,
    }),
  markRead: (id: string) => request<void>('POST', `/notifications/${encodeURIComponent(id)}/read`),
  markAllRead: () => request<void>('POST', '/notifications/read-all'),
};
