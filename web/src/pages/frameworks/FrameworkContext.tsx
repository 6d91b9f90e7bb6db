// The plan shown on /frameworks/:id, shared by its tabs. Every edit answers with the whole plan
// as it now is (its overlaps and submission problems recomputed), which replaces the shown one;
// a confirmation the edit cleared is announced, since the participant has to confirm again.
import { createContext, useCallback, useContext, type ReactNode } from 'react';
import { App } from 'antd';
import { ApiError } from '../../api/client';
import { useApiFeedback } from '../../api/feedback';
import { useT } from '../../i18n';
import type { Framework } from './frameworksApi';

interface FrameworkValue {
  framework: Framework;
  /** Replaces the shown plan with the server's answer. */
  apply: (next: Framework) => void;
  reload: () => Promise<void>;
}

/** Refusals that mean the plan changed under the screen: it is reloaded. */
const MOVED_ON: ReadonlySet<string> = new Set(['framework.conflict', 'framework.not_editable']);

const Context = createContext<FrameworkValue | null>(null);

export function FrameworkProvider({ value, children }: { value: FrameworkValue; children: ReactNode }) {
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useFramework(): FrameworkValue {
  const value = useContext(Context);
  if (!value) throw new Error('useFramework must be used inside <FrameworkProvider>');
  return value;
}

/**
 * Runs an edit of the plan: on success shows `done` and applies the answer; a stale version (412)
 * or a plan that moved on (409 framework.conflict / not_editable) reloads it. Returns whether the edit went through; the error is
 * passed on to `onError` (e.g. to mark form fields) after it was shown.
 */
export function useFrameworkEdit() {
  const t = useT();
  const { message } = App.useApp();
  const { showError } = useApiFeedback();
  const { framework, apply, reload } = useFramework();

  return useCallback(
    async (edit: () => Promise<Framework>, done?: string, onError?: (error: unknown) => void): Promise<boolean> => {
      const before = framework;
      try {
        const next = await edit();
        if (done) void message.success(done);
        // 第十条: the parts are confirmed as they stand; a change to a part clears its confirmation.
        const cleared = next.participants.filter(
          (p) => p.confirmation === null && before.participants.find((b) => b.organizationId === p.organizationId)?.confirmation,
        );
        if (cleared.length > 0) {
          void message.warning(t('framework.confirmation.cleared', { names: cleared.map((p) => p.organizationName).join(t('common.listSeparator')) }), 6);
        }
        apply(next);
        return true;
      } catch (error) {
        if (error instanceof ApiError && (error.isStale || MOVED_ON.has(error.code ?? ''))) {
          void message.warning(error.isStale ? t('framework.stale') : (error.userMessage ?? t('framework.stale')));
          await reload();
        } else {
          showError(error);
        }
        onError?.(error);
        return false;
      }
    },
    [framework, apply, reload, message, showError, t],
  );
}
