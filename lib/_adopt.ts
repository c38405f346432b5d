/**
 * How a shared class's static `[REVIVE]` builds an instance around memory that already exists: it
 * calls {@linkcode adopt} with the received state, and the class's constructor takes that state
 * from {@linkcode adopted} instead of allocating. Constructors stay public and simple, and no
 * `#private` field is ever set from outside its class.
 *
 * This file is private to `lib/`.
 *
 * @module
 */

let pending: unknown;

/**
 * Runs `make` (a `new Class(...)`) so that the constructor adopts `state` instead of allocating.
 *
 * @typeParam T The built object.
 * @param state The state the object's handle carried.
 * @param make Calls the constructor.
 * @returns The object.
 */
export function adopt<T>(state: unknown, make: () => T): T {
  pending = state;
  try {
    return make();
  } finally {
    pending = undefined;
  }
}

/**
 * The state being adopted, taken once, for a constructor: `undefined` when the constructor runs
 * for a new object.
 */
export function adopted(): unknown {
  const state = pending;
  pending = undefined;
  return state;
}

/** The state being adopted, without taking it: for a subclass before it calls `super()`. */
export function peekAdopted(): unknown {
  return pending;
}

/**
 * Checks that a received state is an object whose named fields are SharedArrayBuffers.
 *
 * @typeParam K The field names.
 * @param state The received state.
 * @param kind The class being revived, for the message.
 * @param keys The fields that must hold SharedArrayBuffers.
 * @returns The state, typed.
 * @throws {TypeError} If a field is missing or not a SharedArrayBuffer.
 */
export function sharedState<K extends string>(
  state: unknown,
  kind: string,
  keys: readonly K[],
): Record<K, SharedArrayBuffer> & Record<string, unknown> {
  const record = state as Record<string, unknown> | null;
  for (const key of keys) {
    if (
      typeof record !== "object" || record === null || !(record[key] instanceof SharedArrayBuffer)
    ) {
      throw new TypeError(
        `Cannot receive ${kind}: its state has no shared buffer "${key}" (was it sent by lib/?)`,
      );
    }
  }
  return record as Record<K, SharedArrayBuffer> & Record<string, unknown>;
}
