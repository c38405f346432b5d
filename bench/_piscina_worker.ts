/**
 * piscina's worker for the comparison: a no-op task, picked by name (`run(x, { name: "noop" })`).
 *
 * @module
 */

/** Does nothing. */
export function noop(): void {}
