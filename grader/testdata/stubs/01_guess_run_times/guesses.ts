/**
 * Your guesses for the lesson's program, in seconds, written down *before* you run it.
 *
 * The program (see README.md) sums the integers in [1, 1e9) three ways on this machine:
 * 1. serially, in one loop;
 * 2. on a worker Pool as one million tasks of 1000 numbers, including the time to build the list
 *    of tasks ("parallel, including allocation");
 * 3. the same million tasks again, with the list already built ("straight parallel").
 *
 * A guess counts when it is a positive number of seconds. The check prints the measured times
 * beside your guesses; it never grades how close you were.
 *
 * @module
 */

/** Your three guesses, in seconds. */
export const guesses = {
  // TODO: how many seconds will the serial sum of [1, 1e9) take?
  serial: 0,
  // TODO: how many seconds for one million tasks of 1000 numbers, building the task list included?
  parallelWithAlloc: 0,
  // TODO: how many seconds for the same tasks again, with the task list already built?
  straightParallel: 0,
};
