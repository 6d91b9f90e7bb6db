// The in-app notification endpoints. Marking read is a write, so the shared client sends the
// session's CSRF token with it.
import { request } from '../../api/client';
import type { AppNotification, NotificationPage } from '../../api/types';

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

/** Where a notification leads: its framework plan (第十条) or its project. */
export function notificationPath(item: Pick<AppNotification, 'projectId' | 'frameworkId'> & { obligationId?: string | null }): string {
  if (item.frameworkId) return `/frameworks/${encodeURIComponent(item.frameworkId)}`;
  // A deadline reminder about a system opens the 履约日历.
  if (item.obligationId && !item.projectId) return '/obligations';
  if (item.projectId) return `/projects/${encodeURIComponent(item.projectId)}`;
  return '/notifications';
}

/** What a notification is about, by name: the plan or the project. */
export function notificationSubject(item: Pick<AppNotification, 'projectName' | 'frameworkName'> & { systemName?: string | null }): string {
  return item.frameworkName ?? item.projectName ?? item.systemName ?? '';
}
