/**
 * What exercise 3's word count writes through the Manager dicts it makes, counted in the student
 * Worker by a wrapper put on the grader's manager before the call: every dict made on it (to read
 * back after), and the writes the calling thread made through each. Counted in the student's
 * isolate, so it is data the checks validate (see ARCHITECTURE.md), never a witness.
 *
 * Imported by `student_worker.ts` only.
 *
 * @module
 */

/** The parts of a lib Manager this observer uses. */
export interface ObservedManager {
  /** Makes a dict on the manager. */
  dict?: (...args: unknown[]) => { toObject?: () => unknown };
}

/** The dict methods that write. */
const DICT_WRITES = ["set", "update", "increment", "incrementMany", "setDefault", "pop", "delete"];

/** A dict made on the grader's manager, and the writes the calling thread made through it. */
export interface WatchedDict {
  /** The dict's proxy, as the student got it. */
  proxy: { toObject?: () => unknown };
  /** The writes made through it from the calling thread. */
  callerWrites: number;
}

/**
 * Records every dict the student makes on the grader's manager, to read them back after, and
 * counts the writes made through it from the calling thread: the pool's workers write through
 * their own copies of the proxy, which this wrapper never sees.
 *
 * @param manager The grader's manager, before the student's call gets it.
 * @returns The dicts made on it, filled in as the call makes them.
 *
 * @example Usage
 * ```ts
 * import { observeDicts } from "./_dict_use.ts";
 * import { equal } from "node:assert/strict";
 *
 * const manager = { dict: () => ({ set() {}, toObject: () => ({}) }) };
 * const dicts = observeDicts(manager);
 * (manager.dict() as { set(): void }).set();
 * equal(dicts.length, 1);
 * equal(dicts[0]!.callerWrites, 1);
 * ```
 */
export function observeDicts(manager: ObservedManager): WatchedDict[] {
  const dicts: WatchedDict[] = [];
  const dict = manager.dict;
  if (typeof dict !== "function") return dicts;
  manager.dict = (...args: unknown[]) => {
    const proxy = dict.apply(manager, args) as Record<string, unknown>;
    const watched: WatchedDict = { proxy, callerWrites: 0 };
    for (const name of DICT_WRITES) {
      const method = proxy[name];
      if (typeof method !== "function") continue;
      Object.defineProperty(proxy, name, {
        configurable: true,
        value: (...callArgs: unknown[]) => {
          watched.callerWrites++;
          return method.apply(proxy, callArgs);
        },
      });
    }
    dicts.push(watched);
    return proxy;
  };
  return dicts;
}
