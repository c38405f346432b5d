// Escape and bell characters in printed output and in an error: shown escaped, never obeyed.
console.log("\u001b[2J\u001b[31mALL CHECKS PASSED\u0007\r");

export function sumRange(_lo: number, _hi: number): bigint {
  throw new Error("\u001b]0;owned\u0007\u009b2J");
}
