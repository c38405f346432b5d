// A value shown in a message: the guess check says what it got.
export const guesses = { serial: "s".repeat(3_000_000), parallelWithAlloc: 6, straightParallel: 5 };
