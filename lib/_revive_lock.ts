/**
 * Rebuilds the Lock or RLock inside another shared object's state (a Condition's, a Value's, a
 * SharedArray's).
 *
 * This file is private to `lib/`.
 *
 * @module
 */

import { REVIVE, type SharedHandle } from "./_shareable.ts";
import { Lock, RLock } from "./lock.ts";

/**
 * Rebuilds a Lock or an RLock from the handle inside another object's state (a Condition's, a
 * Value's).
 *
 * @param lockHandle The lock's handle.
 * @returns The lock.
 * @throws {TypeError} If the handle is not a Lock's or an RLock's.
 */
export function reviveLock(lockHandle: unknown): Lock | RLock {
  const { kind, state } = (lockHandle ?? {}) as Partial<SharedHandle>;
  if (kind === "Lock") return Lock[REVIVE](state);
  if (kind === "RLock") return RLock[REVIVE](state);
  throw new TypeError(`Cannot receive lock: expected a Lock or an RLock: received ${String(kind)}`);
}
