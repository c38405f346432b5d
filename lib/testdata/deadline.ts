/**
 * A hang detector for lib's tests: a wait that should end soon fails the test after a bounded
 * deadline instead of hanging the run.
 *
 * @module
 */

/**
 * Waits for `promise`, and rejects if it has not settled within `ms` milliseconds.
 *
 * @typeParam T What the promise resolves with.
 * @param promise The wait that should end.
 * @param what What it waits for, for the message (`"join()"`).
 * @param ms The deadline; 5 seconds by default.
 * @returns What the promise resolved with.
 * @throws {Error} If the deadline passes first.
 */
export async function within<T>(promise: Promise<T>, what: string, ms = 5_000): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}
