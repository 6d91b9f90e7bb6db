// How the pure rules of construction, money and deadlines (第十三条–第二十八条) report a failure:
// a stable code clients match on, the article the rule implements, the figures as strings, and
// a message in Chinese and English. The same shape as the lifecycle's problems (lifecycle.ts), so
// the API's problem+json and the dry runs present them alike.
import type { LocalizedText } from './lifecycle.ts';

export type ProblemParams = Readonly<Record<string, string>>;

/** One failed rule. Every rule returns all of its problems at once, never just the first. */
export interface RuleProblem<C extends string = string> {
  readonly code: C;
  /** The article (or SPEC section) the failed rule implements. */
  readonly article: string;
  readonly params: ProblemParams;
  readonly message: LocalizedText;
}

/** A message table: code → article and message builder. */
export type ProblemTable<C extends string> = Readonly<Record<C, { readonly article: string; readonly message: (p: ProblemParams) => LocalizedText }>>;

/** The problem `code` of `table`, with its article and message filled from `params`. */
export function problemOf<C extends string>(table: ProblemTable<C>, code: C, params: ProblemParams = {}): RuleProblem<C> {
  const entry = table[code];
  return { code, article: entry.article, params, message: entry.message(params) };
}
