const o: any = { serial: 1, parallelWithAlloc: 2, straightParallel: 3 }; o.me = o;
export const guesses = o;
