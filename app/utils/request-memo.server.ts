import { AsyncLocalStorage } from "node:async_hooks";

/**
 * One answer per request for what every loader of a page asks (the signed-in actor): the server
 * runs each safe request inside `requestMemo.run(new Map(), …)`, and the layout's and the page's
 * loaders then share one session read. Outside such a scope (tests, the dev server) nothing is kept.
 * Unsafe requests are not memoised: an action may change what a later loader of the same request reads.
 */
export const requestMemo = new AsyncLocalStorage<Map<string, Promise<unknown>>>();

export function memo<T>(key: string, load: () => Promise<T>): Promise<T> {
  const store = requestMemo.getStore();
  if (!store) return load();
  let hit = store.get(key) as Promise<T> | undefined;
  if (!hit) {
    hit = load();
    store.set(key, hit);
    hit.catch(() => store.delete(key));
  }
  return hit;
}
