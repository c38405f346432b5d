/**
 * The sandbox channel's encoding and the harness's start-up configuration, shared by the grader and
 * the harness. Free of dependencies: the subprocess loads it.
 *
 * @module
 */

/** What the grader writes on the harness's stdin before anything else (read once, then closed). */
export interface HarnessConfig {
  /** The per-run random token the harness presents on the channel. */
  token: string;
  /** The loopback port of the channel. */
  port: number;
  /** The workspace's exercise folder as a `file:` URL ending in `/`. */
  exerciseUrl: string;
  /** The workspace's `lib/mod.ts` as a `file:` URL. */
  libUrl: string;
  /** Folders the student Worker may read (the workspace). */
  readable: string[];
}

const BIGINT_TAG = "$bigint";

/**
 * Encodes a value as JSON, with bigints tagged so they survive the trip.
 *
 * @param value The value.
 * @returns One line of JSON.
 *
 * @example Usage
 * ```ts
 * import { decodeWire, encodeWire } from "./_wire.ts";
 * import { equal } from "node:assert/strict";
 *
 * equal(decodeWire(encodeWire({ total: 10n ** 20n })).total, 10n ** 20n);
 * ```
 */
export function encodeWire(value: unknown): string {
  return JSON.stringify(
    value,
    (_key, item) => typeof item === "bigint" ? { [BIGINT_TAG]: item.toString() } : item,
  );
}

/**
 * Decodes one line written by {@linkcode encodeWire}.
 *
 * @param text One line of JSON.
 * @returns The value, bigints restored.
 */
// deno-lint-ignore no-explicit-any -- wire data is validated by the caller's zod schema
export function decodeWire(text: string): any {
  return JSON.parse(text, (_key, item) => {
    if (
      typeof item === "object" && item !== null && Object.keys(item).length === 1 &&
      typeof item[BIGINT_TAG] === "string"
    ) {
      return BigInt(item[BIGINT_TAG]);
    }
    return item;
  });
}
