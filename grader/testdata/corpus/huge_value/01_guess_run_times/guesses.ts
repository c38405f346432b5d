export const guesses = { serial: 1, parallelWithAlloc: 2, straightParallel: "y".repeat(120_000_000) };
