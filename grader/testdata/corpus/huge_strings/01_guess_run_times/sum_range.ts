// Huge strings in every field a fault has (name, message, stack: together under the wire's 4 MiB
// cap, so they reach the grader) and in printed output.
console.log("o".repeat(1_000_000));
console.error("e".repeat(1_000_000));

export function sumRange(_lo: number, _hi: number): bigint {
  const error = new Error("m".repeat(1_000_000));
  error.name = "N".repeat(1_000_000);
  error.stack = "S".repeat(1_000_000);
  throw error;
}
