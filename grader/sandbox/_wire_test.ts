import { deepEqual } from "node:assert/strict";
import { readLines } from "./_wire.ts";

async function linesOf(chunks: string[], maxChars?: number): Promise<string[]> {
  const encoder = new TextEncoder();
  const lines: string[] = [];
  const stream = ReadableStream.from(chunks.map((chunk) => encoder.encode(chunk)));
  for await (const line of readLines(stream, maxChars)) lines.push(line);
  return lines;
}

Deno.test("readLines() joins a line sent in many chunks and splits many lines in one chunk", async () => {
  deepEqual(await linesOf(["ab", "c", "d\ne", "f\n\ng\nh", "\n"]), ["abcd", "ef", "g", "h"]);
  deepEqual(await linesOf(Array.from({ length: 1000 }, () => "x").concat(["\n"])), [
    "x".repeat(1000),
  ]);
});

Deno.test("readLines() drops a line longer than its limit whole and keeps the next", async () => {
  deepEqual(await linesOf(["ok\n", "y".repeat(6), "y".repeat(6), "\nnext\n"], 8), ["ok", "next"]);
  deepEqual(await linesOf(["y".repeat(9) + "\nnext\n"], 8), ["next"]);
  deepEqual(await linesOf(["12345678\n"], 8), ["12345678"]);
});
