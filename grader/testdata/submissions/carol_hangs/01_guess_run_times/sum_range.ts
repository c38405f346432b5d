/** Hangs on purpose: spins forever, which only ending the process stops. */
export function sumRange(_lo: number, _hi: number): bigint {
  while (true) {
    // spin
  }
}
