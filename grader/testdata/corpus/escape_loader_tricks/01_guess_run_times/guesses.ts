export const guesses = { serial: 1, parallelWithAlloc: 6, straightParallel: 5 };
