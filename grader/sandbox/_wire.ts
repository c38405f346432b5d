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
  /**
   * The sizes of the pools the student Worker starts and warms up at once, before any request
   * (`counter_task.ts` `ready`): the checks' pools, so that their workers' start-up waits overlap.
   */
  pools?: number[];
  /**
   * How many spare lib workers (`prestartWorkers`) the student Worker starts then too, after the
   * pools: the student's own Processes start on them instead of waiting out a nested Worker's
   * start-up.
   */
  spares?: number;
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

/** The longest line the channel carries, in UTF-16 code units (4 MiB): a value past it is refused. */
export const MAX_LINE_CHARS = 4 * 1024 * 1024;

/**
 * Reads a stream as lines of text, leaving out empty lines. Each chunk is searched once, so a long
 * line costs time in proportion to its length; a line longer than `maxChars` is dropped whole.
 *
 * @param readable The bytes (a connection's `readable`).
 * @param maxChars The longest line kept.
 * @returns The lines, without their newline, as they complete.
 *
 * @example Usage
 * ```ts
 * import { readLines } from "./_wire.ts";
 * import { deepEqual } from "node:assert/strict";
 *
 * const bytes = new TextEncoder().encode("a\n\nb\n");
 * const lines: string[] = [];
 * for await (const line of readLines(ReadableStream.from([bytes]))) lines.push(line);
 * deepEqual(lines, ["a", "b"]);
 * ```
 */
export async function* readLines(
  readable: ReadableStream<Uint8Array>,
  maxChars: number = MAX_LINE_CHARS,
): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let parts: string[] = [];
  let size = 0;
  let dropping = false;
  for await (const chunk of readable) {
    const text = decoder.decode(chunk, { stream: true });
    let start = 0;
    for (let newline = text.indexOf("\n"); newline >= 0; newline = text.indexOf("\n", start)) {
      const piece = text.slice(start, newline);
      start = newline + 1;
      if (!dropping && size + piece.length <= maxChars) {
        parts.push(piece);
        const line = parts.join("");
        if (line.trim() !== "") yield line;
      }
      parts = [];
      size = 0;
      dropping = false;
    }
    const rest = text.slice(start);
    if (dropping || rest === "") continue;
    if (size + rest.length > maxChars) {
      dropping = true;
      parts = [];
      size = 0;
    } else {
      parts.push(rest);
      size += rest.length;
    }
  }
}

/**
 * Writes one value as a line of wire JSON ({@linkcode encodeWire}), all of it.
 *
 * @param writer Where to write (a connection).
 * @param value The value.
 * @returns When every byte is written.
 */
export async function writeLine(
  writer: { write(bytes: Uint8Array): Promise<number> },
  value: unknown,
): Promise<void> {
  const bytes = new TextEncoder().encode(encodeWire(value) + "\n");
  let written = 0;
  while (written < bytes.length) written += await writer.write(bytes.subarray(written));
}
