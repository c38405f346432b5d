export function sumRange(lo: number, hi: number): bigint { throw new Error("not done"); }
