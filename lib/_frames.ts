/**
 * How a `Connection` streams a message bigger than its pipe's buffer: cut into frames, put back
 * together on the other end.
 *
 * This file is private to `lib/`.
 *
 * @module
 */

import type { Ctx } from "./_mutex.ts";
import type { Ring } from "./_ring.ts";

/**
 * A message bigger than the pipe's buffer travels in frames (Python streams a pickle through the
 * OS pipe the same way): the first says the whole length, every frame carries one slice. Their tag
 * bytes differ from every item tag of `_ring.ts`.
 */
export const TAG_FIRST_CHUNK = 0xf0;
const TAG_MORE_CHUNK = 0xf1;
const FIRST_HEADER = 5;

/** The rest of a streamed message is read without a deadline: the sender is already sending it. */
export const REST_CTX: Ctx = { caller: "receive", timeout: Infinity, signal: undefined };

/** Cuts an encoded message into frames that each fit half the ring (so two can be in flight). */
export function chunked(encoded: Uint8Array, ring: Ring): Uint8Array[] {
  let room = ring.capacity;
  while (room > 0 && !ring.canHold(room)) room--;
  const size = Math.max(1, Math.floor(room / 2) - FIRST_HEADER);
  const frames: Uint8Array[] = [];
  for (let at = 0; at < encoded.length; at += size) {
    const slice = encoded.subarray(at, at + size);
    const header = at === 0 ? FIRST_HEADER : 1;
    const frame = new Uint8Array(header + slice.length);
    frame[0] = at === 0 ? TAG_FIRST_CHUNK : TAG_MORE_CHUNK;
    if (at === 0) new DataView(frame.buffer).setUint32(1, encoded.length);
    frame.set(slice, header);
    frames.push(frame);
  }
  return frames;
}

/** Puts a streamed message's frames back together. */
export class Assembly {
  readonly bytes: Uint8Array;
  #filled: number;

  constructor(first: Uint8Array) {
    this.bytes = new Uint8Array(new DataView(first.buffer, first.byteOffset).getUint32(1));
    this.bytes.set(first.subarray(FIRST_HEADER));
    this.#filled = first.length - FIRST_HEADER;
  }

  get done(): boolean {
    return this.#filled >= this.bytes.length;
  }

  add(frame: Uint8Array): void {
    if (frame[0] !== TAG_MORE_CHUNK) {
      throw new Error("Cannot receive: a streamed message was cut by another sender's message");
    }
    this.bytes.set(frame.subarray(1), this.#filled);
    this.#filled += frame.length - 1;
  }
}
