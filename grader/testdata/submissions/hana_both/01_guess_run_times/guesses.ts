export const guesses = { serial: 0.8, parallelWithAlloc: 5, straightParallel: 4 };
