/**
 * The objects a manager's server holds (dicts, lists, namespaces, values) and the ops each kind
 * answers: the server (`_manager_server.ts`) runs them one call at a time.
 *
 * This file is private to `lib/`.
 *
 * @module
 */
import type { Request, ServedKind } from "./_manager_protocol.ts";
import type { ObjectSize } from "./_manager_record.ts";

type Served =
  | { kind: "dict"; data: Map<unknown, unknown> }
  | { kind: "list"; data: unknown[] }
  | { kind: "namespace"; data: Map<string, unknown> }
  | { kind: "value"; data: { value: unknown } };

const objects = new Map<number, Served>();
let nextObject = 1;

function sizeOf(object: Served): number {
  switch (object.kind) {
    case "dict":
    case "namespace":
      return object.data.size;
    case "list":
      return object.data.length;
    case "value":
      return 1;
  }
}

/**
 * The kind of the object with this id, if it is served.
 *
 * @param target The object's id.
 * @returns Its kind.
 */
export function kindOf(target: number): ServedKind | undefined {
  return objects.get(target)?.kind;
}

/**
 * Every served object's id, kind and size now, the first-made first (for `Manager.stats()`).
 *
 * @returns The sizes.
 */
export function objectSizes(): ObjectSize[] {
  return [...objects].map(([id, object]) => ({ id, kind: object.kind, size: sizeOf(object) }));
}

function served(target: number, kind: ServedKind | undefined): Served {
  const object = objects.get(target);
  if (object === undefined) {
    throw new RangeError(`Cannot use proxy: the manager holds no object ${target}`);
  }
  if (kind !== undefined && object.kind !== kind) {
    throw new TypeError(`Cannot use proxy: object ${target} is a ${object.kind}, not a ${kind}`);
  }
  return object;
}

function listIndex(list: unknown[], index: unknown, op: string): number {
  if (typeof index !== "number" || !Number.isInteger(index)) {
    throw new TypeError(
      `Cannot ${op} list item: index must be an integer: received ${String(index)}`,
    );
  }
  const at = index < 0 ? list.length + index : index;
  if (at < 0 || at >= list.length) {
    throw new RangeError(
      `Cannot ${op} list item: index ${index} is out of range for a list of ${list.length}`,
    );
  }
  return at;
}

function addNumbers(current: unknown, by: unknown, key: unknown): number | bigint {
  const base = current ?? (typeof by === "bigint" ? 0n : 0);
  if (typeof base === "bigint" && typeof by === "bigint") return base + by;
  if (typeof base === "number" && typeof by === "number") return base + by;
  throw new TypeError(
    `Cannot increment ${
      JSON.stringify(String(key))
    }: it holds ${typeof base}, and the increment is ${typeof by}`,
  );
}

/**
 * Makes a served object.
 *
 * @param kind Its kind.
 * @param init Its first contents.
 * @returns Its id (from 1, in the order made, never reused).
 * @throws {TypeError} If the kind is not one the manager serves.
 */
export function create(kind: unknown, init: unknown): number {
  let object: Served;
  switch (kind) {
    case "dict":
      object = { kind, data: new Map(init as [unknown, unknown][]) };
      break;
    case "list":
      object = { kind, data: [...((init ?? []) as unknown[])] };
      break;
    case "namespace":
      object = { kind, data: new Map(Object.entries((init ?? {}) as Record<string, unknown>)) };
      break;
    case "value":
      object = { kind, data: { value: init } };
      break;
    default:
      throw new TypeError(`Cannot create: the manager serves no ${String(kind)}`);
  }
  const id = nextObject++;
  objects.set(id, object);
  return id;
}

/**
 * Runs one call on a served object (any target but 0, the manager itself).
 *
 * @param request The call.
 * @returns Its answer's value.
 * @throws {RangeError} If there is no such object, or an index is out of range.
 * @throws {TypeError} If the op is unknown for the object's kind, or an argument is wrong.
 */
export function callObject(request: Request): unknown {
  const [a, b] = request.args;
  const object = served(request.target, undefined);
  switch (object.kind) {
    case "dict": {
      const d = object.data;
      switch (request.op) {
        case "get":
          return d.has(a) ? d.get(a) : b;
        case "set":
          d.set(a, b);
          return undefined;
        case "has":
          return d.has(a);
        case "delete":
          return d.delete(a);
        case "len":
          return d.size;
        case "keys":
          return [...d.keys()];
        case "values":
          return [...d.values()];
        case "entries":
          return [...d.entries()];
        case "clear":
          d.clear();
          return undefined;
        case "update":
          for (const [key, value] of a as [unknown, unknown][]) d.set(key, value);
          return undefined;
        case "toObject":
          return Object.fromEntries(d);
        case "pop": {
          if (!d.has(a)) return b;
          const value = d.get(a);
          d.delete(a);
          return value;
        }
        case "setDefault":
          if (!d.has(a)) d.set(a, b);
          return d.get(a);
        case "increment": {
          const next = addNumbers(d.get(a), b, a);
          d.set(a, next);
          return next;
        }
        case "incrementMany":
          for (const [key, by] of a as [unknown, unknown][]) {
            d.set(key, addNumbers(d.get(key), by, key));
          }
          return undefined;
      }
      break;
    }
    case "list": {
      const l = object.data;
      switch (request.op) {
        case "get":
          return l[listIndex(l, a, "get")];
        case "set":
          l[listIndex(l, a, "set")] = b;
          return undefined;
        case "append":
          l.push(a);
          return undefined;
        case "extend":
          l.push(...(a as unknown[]));
          return undefined;
        case "pop":
          return l.splice(listIndex(l, a ?? -1, "pop"), 1)[0];
        case "len":
          return l.length;
        case "toArray":
          return l;
        case "clear":
          l.length = 0;
          return undefined;
      }
      break;
    }
    case "namespace": {
      const n = object.data;
      switch (request.op) {
        case "get":
          return n.get(a as string);
        case "set":
          n.set(a as string, b);
          return undefined;
        case "toObject":
          return Object.fromEntries(n);
      }
      break;
    }
    case "value": {
      const v = object.data;
      switch (request.op) {
        case "get":
          return v.value;
        case "set":
          v.value = a;
          return undefined;
        case "add":
          v.value = addNumbers(v.value, a, "value");
          return v.value;
      }
      break;
    }
  }
  throw new TypeError(`Cannot call ${object.kind} proxy: unknown operation ${request.op}`);
}
