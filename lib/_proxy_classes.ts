/**
 * Loads every manager proxy class at once: a proxy's handle names this module, so an isolate that
 * receives any proxy can turn every token it later reads from the manager (a dict inside a list, a
 * list inside a dict...) into a live proxy synchronously, without an import.
 *
 * This file is private to `lib/`.
 *
 * @module
 */

export { DictProxy } from "./dict_proxy.ts";
export { ListProxy } from "./list_proxy.ts";
export { NamespaceProxy } from "./namespace_proxy.ts";
export { ValueProxy } from "./value_proxy.ts";
