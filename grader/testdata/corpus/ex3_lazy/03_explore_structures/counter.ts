// No lock at all: one unsynchronized read-modify-write per worker.
export function addMany(counter: { value: number }, times: number): void {
  counter.value += times;
}
