import { useCallback } from 'react';
import { App } from 'antd';
import type { FormInstance } from 'antd';
import { ApiError, NetworkError } from './client';
import { useT } from '../i18n';

/** Turns a problem path ("body/creditCode", "/organizationIds/0", "roleCodes[1]") into a form field name. */
export function fieldNameOf(path: string): string | undefined {
  const parts = path
    .replace(/\[(\d+)\]/g, '.$1')
    .split(/[./]/)
    .filter((part) => part !== '' && part !== 'body');
  return parts[0];
}

/** A form name path: "security.mlpsLevel" → ['security', 'mlpsLevel'], "indicators.0.targets" → ['indicators', 0, 'targets']. */
export type FieldPath = (string | number)[];

/** Turns a problem path into the full name path of a (possibly nested) form field. */
export function fieldPathOf(path: string): FieldPath {
  return path
    .replace(/\[(\d+)\]/g, '.$1')
    .split(/[./]/)
    .filter((part) => part !== '' && part !== 'body')
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/** The field problems of an API error, grouped by name path (messages already localized). */
export function fieldErrorsOf(error: unknown): { name: FieldPath; errors: string[] }[] {
  if (!(error instanceof ApiError)) return [];
  const byPath = new Map<string, { name: FieldPath; errors: string[] }>();
  for (const problem of error.errors) {
    const name = fieldPathOf(problem.path);
    if (name.length === 0) continue;
    const key = name.join('.');
    const entry = byPath.get(key) ?? { name, errors: [] };
    entry.errors.push(problem.message);
    byPath.set(key, entry);
  }
  return [...byPath.values()];
}

/**
 * Feedback for failed API calls: shows the server's localized detail (or title) and maps
 * problem `errors[].path` onto form fields.
 */
export function useApiFeedback() {
  const { message } = App.useApp();
  const t = useT();

  const showError = useCallback(
    (error: unknown) => {
      if (error instanceof DOMException && error.name === 'AbortError') return;
      if (error instanceof ApiError) {
        if (error.handled) return;
        void message.error(error.userMessage ?? t('error.unknown'));
        return;
      }
      if (error instanceof NetworkError) {
        void message.error(t('error.network'));
        return;
      }
      console.error(error);
      void message.error(t('error.unknown'));
    },
    [message, t],
  );

  /** Shows the error and marks the offending fields; returns true when a field was marked. */
  const showFormError = useCallback(
    (form: FormInstance | undefined, error: unknown): boolean => {
      showError(error);
      if (!form || !(error instanceof ApiError) || error.errors.length === 0) return false;
      const byField = new Map<string, string[]>();
      for (const problem of error.errors) {
        const name = fieldNameOf(problem.path);
        if (!name) continue;
        const list = byField.get(name) ?? [];
        list.push(problem.message);
        byField.set(name, list);
      }
      const fields = [...byField.entries()];
      if (fields.length === 0) return false;
      form.setFields(fields.map(([name, errors]) => ({ name, errors })));
      return true;
    },
    [showError],
  );

  return { showError, showFormError };
}
