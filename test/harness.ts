// uvu with timeouts: every test and hook of a suite made here fails once it runs past
// its suite's timeout, instead of hanging the run (uvu has none: libraries.md §5).
import { suite as uvuSuite, type Callback, type Test } from 'uvu';

export const DEFAULT_TIMEOUT_MS = 10_000;

function bounded<T>(label: string, fn: Callback<T>, ms: number): Callback<T> {
  return (context) => {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${label} timed out after ${ms} ms`)), ms);
    });
    return Promise.race([Promise.resolve().then(() => fn(context)), expired]).finally(() => clearTimeout(timer));
  };
}

/** A uvu suite whose tests and hooks each fail after `timeoutMs`. */
export function suite<T extends object = Record<string, never>>(name: string, state?: T, timeoutMs = DEFAULT_TIMEOUT_MS): Test<T> {
  const inner = uvuSuite<T>(name, state);
  const hook = (label: string, add: (fn: Callback<T>) => void) => (fn: Callback<T>) => add(bounded(label, fn, timeoutMs));
  return Object.assign((title: string, fn: Callback<T>) => inner(title, bounded(`test "${title}"`, fn, timeoutMs)), {
    only: (title: string, fn: Callback<T>) => inner.only(title, bounded(`test "${title}"`, fn, timeoutMs)),
    skip: inner.skip,
    before: Object.assign(hook('before hook', inner.before), { each: hook('before.each hook', inner.before.each) }),
    after: Object.assign(hook('after hook', inner.after), { each: hook('after.each hook', inner.after.each) }),
    run: inner.run,
  });
}
