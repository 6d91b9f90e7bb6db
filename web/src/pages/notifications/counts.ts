// The two numbers the frame shows on every page: unread notifications (the bell) and items
// waiting in 我的待办 (the menu badge). One small store, polled every 60 s and refreshed when
// the window regains focus; no websockets.
//
// Every request moves the session's last_seen_at, so a poll of an unattended screen would keep
// the session alive forever and defeat the idle timeout (SPEC §10). Polls therefore run only
// while the page is visible and someone touched it in the last few minutes.
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
/** A poll runs only if the user was active this recently. */
const ACTIVE_WINDOW_MS = 5 * 60_000;

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

export async function refreshUnreadCount(): Promise<void> {
  try {
    const page = await notificationsApi.list({ unreadOnly: true, page: 1, pageSize: 1 });
    update({ unread: page.unread });
  } catch {
    // a failed poll keeps the last known number; a 401 is handled by the client
  }
}

export async function refreshWorklistCount(): Promise<void> {
  try {
    const { items } = await worklistApi.list();
    update({ worklist: items.length });
  } catch {
    // as above
  }
}

let lastRefresh = 0;

function refreshAll(): void {
  // focus and visibilitychange arrive together when a tab comes back: one refresh is enough
  if (Date.now() - lastRefresh < 2_000) return;
  lastRefresh = Date.now();
  void refreshUnreadCount();
  void refreshWorklistCount();
}

/**
 * Keeps the counts fresh while the signed-in frame is mounted: at once, every 60 s while the
 * user is active, and on window focus. Clears them when the frame goes (sign-out), so the next
 * user never sees the previous user's numbers.
 */
export function useFrameCountPolling(): void {
  useEffect(() => {
    let lastActivity = Date.now();
    const active = () => {
      lastActivity = Date.now();
    };
    const onFocus = () => {
      active();
      refreshAll();
    };
    const onVisible = () => {
      if (document.visibilityState === 'visible') onFocus();
    };
    refreshAll();
    const timer = window.setInterval(() => {
      if (document.visibilityState !== 'visible') return;
      if (Date.now() - lastActivity > ACTIVE_WINDOW_MS) return;
      refreshAll();
    }, POLL_MS);
    const activityEvents = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const;
    for (const name of activityEvents) window.addEventListener(name, active, { passive: true });
    window.addEventListener('focus', onFocus);
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      window.clearInterval(timer);
      for (const name of activityEvents) window.removeEventListener(name, active);
      window.removeEventListener('focus', onFocus);
      document.removeEventListener('visibilitychange', onVisible);
      lastRefresh = 0;
      update({ unread: null, worklist: null });
    };
  }, []);
}
