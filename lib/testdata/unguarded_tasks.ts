/**
 * A task module that starts a pool at its top level without `if (import.meta.main)`: a worker
 * importing it must refuse instead of starting workers that import it again.
 *
 * @module
 */
import { Pool } from "../pool.ts";

const pool = new Pool({ processes: 1 });
await pool.terminate();

/** Never reached in a worker. */
export function double(x: number): number {
  return 2 * x;
}
