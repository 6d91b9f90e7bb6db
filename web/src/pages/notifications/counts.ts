// The two numbers the frame shows on every page: unread notifications (the bell) and items
// waiting in 我的待办 (the menu badge). One small store, polled every 60 s while the page is
// visible and refreshed when the window regains focus; no websockets.
//
// The polls are marked as background requests (X-Govproj-Background: 1): the server answers
// them without moving the session's last_seen_at, so an unattended screen still reaches the
// 30-minute idle timeout (SPEC §10) — and the next poll's 401 takes it to the login page.
import { useEffect, useSyncExternalStore } from 'react';
import { notificationsApi } from './notificationsApi';
import { worklistApi } from '../worklist/worklistApi';

export interface FrameCounts {
  /** Unread notifications; null until known (or when the server does not answer). */
  unread: number | null;
  /** Items waiting in the worklist; null until known. */
  worklist: number | null;
}

const POLL_MS = 60_000;

let counts: FrameCounts = { unread: null, worklist: null };
const listeners = new Set<() => void>();

function update(next: Partial<FrameCounts>): void {
  counts = { ...counts, ...next };
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The current counts; re-renders when they change. */
export function useFrameCounts(): FrameCounts {
  return useSyncExternalStore(subscribe, () => counts);
}

/** Sets the worklist count from a list already loaded (the worklist page). */
export function setWorklistCount(count: number): void {
  update({ worklist: count });
}

/** Sets the unread count from a notification page already loaded. */
export function setUnreadCount(count: number): void {
  update({ unread: count });
}

/** `background`: a timed poll, not something the user did (see above). */
export async function refreshUnreadCount(background = false): Promise<void> {
  try {
    const page = await notificationsApi.list({ unreadOnly: true, page: 1, pageSize: 1 }, { background });
    update({ unread: page.unread });
  } catch {
    // a failed poll keeps the last known number; a 401 is handled by the client
  }
}

export async function refreshWorklistCount(background = false): Promise<void> {
  try {
    const { items } = await worklistApi.list({ background });
    update({ worklist: items.length });
  } catch {
    // as above
  }
}

let lastRefresh = 0;

/** The timed and focus-driven refresh: background requests, which leave the idle timeout alone. */
function refreshAll(): void {
  // focus and visibilitychange arrive together when a tab comes back: one refresh is enough
  if (Date.now() - lastRefresh < 2_000) return;
  lastRefresh = Date.now();
  void refreshUnreadCount(true);
  void refreshWorklistCount(true);
}

/**
 * Keeps the counts fresh while the signed-in frame is mounted: at once, every 60 s while the
 * page is visible, and on window focus. Clears them when the frame goes (sign-out), so the next
 * user never sees the previous user's numbers.
 */
export function useFrameCountPolling(): void {
  useEffect(() => {
    const onFocus = () => refreshAll();
    const onVisible = () => {
      if (document.visibilityState === 'visible') refreshAll();
    };
    refreshAll();
    const timer = window.setInterval(() => {
      if (document.visibilityState === 'visible') refreshAll();
    }, POLL_MS);
    window.addEventListener('focus', onFocus);
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      window.clearInterval(timer);
      window.removeEventListener('focus', onFocus);
      document.removeEventListener('visibilitychange', onVisible);
      lastRefresh = 0;
      update({ unread: null, worklist: null });
    };
  }, []);
}
