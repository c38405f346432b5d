/**
 * How shared objects (values, arrays, locks, queues, manager proxies...) travel between workers and
 * arrive as the *same* shared object rather than a copy.
 *
 * A class that can travel implements {@linkcode SHARE}: it returns a handle (its defining module, the
 * export name of its class, and a structured-cloneable state in which SharedArrayBuffers travel
 * shared). The receiving side imports the module and calls the class's static {@linkcode REVIVE}
 * with that state. Messages that carry task arguments and results go through
 * {@linkcode encodeShared} before `postMessage` and {@linkcode reviveShared} after.
 *
 * This file is private to `lib/`.
 *
 * @module
 */

/** The method a shareable object implements to describe itself for another worker. */
export const SHARE: unique symbol = Symbol.for("parakit.share");

/** The static method a shareable class implements to rebuild an object from its handle's state. */
export const REVIVE: unique symbol = Symbol.for("parakit.revive");

/** What a shareable object sends in its place. */
export interface SharedHandle {
  /** The absolute URL of the module that exports the class (its `import.meta.url`). */
  readonly module: string;
  /** The name under which that module exports the class. */
  readonly kind: string;
  /** Structured-cloneable state; SharedArrayBuffers inside it travel shared. */
  readonly state: unknown;
}

/** An object that can travel to another worker as the same shared object. */
export interface Shareable {
  /** Returns the handle that rebuilds this object in another worker. */
  [SHARE](): SharedHandle;
}

/** A class whose instances can be rebuilt from a handle's state. */
export interface Revivable {
  /** Rebuilds an instance from the state its handle carried. */
  [REVIVE](state: unknown): unknown;
}

const MARK = "__parakit_shared__";

interface Marked {
  readonly [MARK]: SharedHandle;
}

function isShareable(value: object): value is Shareable {
  return typeof (value as Partial<Shareable>)[SHARE] === "function";
}

function isPlain(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Replaces every shareable object inside `value` (itself, or nested in arrays and plain objects)
 * by its marked handle, ready for `postMessage`. Other values are returned as they are, without a
 * copy when nothing inside them changes.
 *
 * @param value A task's arguments or result.
 * @returns The value to post.
 */
export function encodeShared(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (isShareable(value)) return { [MARK]: value[SHARE]() } satisfies Marked;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      // Most items of a big map are primitives or small arrays of them: skip the call for those.
      if (typeof item !== "object" || item === null) continue;
      const encoded = encodeShared(item);
      if (encoded !== item) {
        out ??= value.slice();
        out[i] = encoded;
      }
    }
    return out ?? value;
  }
  if (isPlain(value)) {
    let out: Record<string, unknown> | undefined;
    for (const [key, item] of Object.entries(value)) {
      const encoded = encodeShared(item);
      if (encoded !== item) {
        out ??= { ...value };
        out[key] = encoded;
      }
    }
    return out ?? value;
  }
  return value;
}

/** True when an encoded value holds at least one shared handle (so revival may need imports). */
export function hasShared(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  if (MARK in value) return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === "object" && item !== null && hasShared(item)) return true;
    }
    return false;
  }
  if (isPlain(value)) return Object.values(value).some(hasShared);
  return false;
}

/**
 * Rebuilds the shared objects that {@linkcode encodeShared} marked, importing each class's module
 * once per isolate.
 *
 * @param value A received message's arguments or result.
 * @returns The value with every handle replaced by its live shared object.
 * @throws {TypeError} If a handle names a module or class that cannot revive it.
 */
export async function reviveShared(value: unknown): Promise<unknown> {
  if (!hasShared(value)) return value;
  return await revive(value);
}

async function revive(value: unknown): Promise<unknown> {
  if (typeof value !== "object" || value === null) return value;
  if (MARK in value) return await reviveHandle((value as Marked)[MARK]);
  if (Array.isArray(value)) return await Promise.all(value.map(revive));
  if (isPlain(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = await revive(item);
    return out;
  }
  return value;
}

async function reviveHandle(handle: SharedHandle): Promise<unknown> {
  const module = await import(handle.module) as Record<string, unknown>;
  const cls = module[handle.kind] as Partial<Revivable> | undefined;
  if (typeof cls?.[REVIVE] !== "function") {
    throw new TypeError(
      `Cannot receive shared object: ${handle.module} exports no revivable "${handle.kind}"`,
    );
  }
  return cls[REVIVE](handle.state);
}
