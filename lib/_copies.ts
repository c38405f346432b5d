/**
 * Copies of a pipe's end handed to a starting `Process`, after Python's file descriptors: each
 * copy counts, and the end closes when the last copy does. `Process.start()` collects the copies
 * it hands over and releases them when its worker ends (as the OS closes a dead child's
 * descriptors); a copy sent anywhere else (a Pool task) is not counted, and closing it closes the
 * end for every copy.
 *
 * This file is private to `lib/`.
 *
 * @module
 */

/** How many copies of one end can be counted; later ones are not counted. */
export const MAX_COPIES = 256;

/** Words of a count: the open copies, the next token, then one "released" flag per token. */
export const COPIES_BYTES = 4 * (2 + MAX_COPIES);

let collecting: (() => void)[] | undefined;

/**
 * Runs `start` while collecting the releases of every copy handed over meanwhile.
 *
 * @param start What hands copies over (starting a Process).
 * @returns What `start` returned, and the releases to call once the copies' holder has ended.
 */
export function collectHandOffs<T>(start: () => T): [T, (() => void)[]] {
  const previous = collecting;
  const releases: (() => void)[] = [];
  collecting = releases;
  try {
    return [start(), releases];
  } finally {
    collecting = previous;
  }
}

/**
 * Counts a new copy if one is being handed to a Process now.
 *
 * @param copies The end's count.
 * @param release Releases the copy (called by the Process once its worker has ended).
 * @returns The copy's token, or -1 when it is not counted.
 */
export function countCopy(copies: Int32Array, release: (token: number) => void): number {
  if (collecting === undefined) return -1;
  const token = Atomics.add(copies, 1, 1);
  if (token >= MAX_COPIES) return -1;
  Atomics.add(copies, 0, 1);
  collecting.push(() => release(token));
  return token;
}

/**
 * Releases one counted copy (once: later calls do nothing).
 *
 * @param copies The end's count.
 * @param token The copy's token.
 * @returns `true` when it was the last open copy: then the end must close.
 */
export function releaseCopy(copies: Int32Array, token: number): boolean {
  if (Atomics.compareExchange(copies, 2 + token, 0, 1) !== 0) return false;
  return Atomics.sub(copies, 0, 1) === 1;
}
