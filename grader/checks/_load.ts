/**
 * How busy the machine is: the busy cores over a short window from the kernel's counters, the
 * load average elsewhere, and the per-core load past which a sweep calls the machine busy.
 * Imported through `check.ts`.
 *
 * @module
 */

/** How long {@linkcode currentLoad} watches the cores, in milliseconds. */
export const LOAD_WINDOW_MS = 250;

/**
 * How many cores are busy right now, measured over {@linkcode LOAD_WINDOW_MS} from the kernel's CPU
 * counters (`/proc/stat`) while the grader waits; elsewhere, the 1-minute load average. A load
 * average would count the grader's own previous run (a `check` right before a `sweep`) as a busy
 * machine; the counters see only what runs during the window.
 *
 * @param windowMs How long to watch.
 * @returns The busy cores, or `undefined` where the OS reports nothing.
 *
 * @example Usage
 * ```ts
 * import { currentLoad } from "./check.ts";
 * import { ok } from "node:assert/strict";
 *
 * const load = await currentLoad(50);
 * ok(load === undefined || load >= 0);
 * ```
 */
export async function currentLoad(windowMs = LOAD_WINDOW_MS): Promise<number | undefined> {
  const before = await cpuTimes();
  if (before === undefined) return loadAverage();
  await new Promise((resolve) => setTimeout(resolve, windowMs));
  const after = await cpuTimes();
  if (after === undefined || after.total <= before.total) return loadAverage();
  const busy = (after.total - after.idle) - (before.total - before.idle);
  return (busy / (after.total - before.total)) * after.cores;
}

/**
 * The 1-minute load average, where the OS reports it.
 *
 * @returns The load, or `undefined`.
 */
export function loadAverage(): number | undefined {
  try {
    return Deno.loadavg()[0];
  } catch {
    return undefined;
  }
}

/** The kernel's CPU time counters summed over every core (Linux only). */
async function cpuTimes(): Promise<{ total: number; idle: number; cores: number } | undefined> {
  let text: string;
  try {
    text = await Deno.readTextFile("/proc/stat");
  } catch {
    return undefined;
  }
  const lines = text.split("\n");
  const fields = lines[0]?.split(/\s+/).slice(1).map(Number) ?? [];
  if (fields.length < 5 || fields.some((n) => !Number.isFinite(n))) return undefined;
  const cores = lines.filter((line) => /^cpu\d+ /.test(line)).length;
  // user nice system idle iowait irq softirq steal: idle and iowait are the idle time.
  const total = fields.slice(0, 8).reduce((sum, n) => sum + n, 0);
  return { total, idle: fields[3]! + (fields[4] ?? 0), cores: Math.max(1, cores) };
}

/** The busy cores (per core) past which a sweep reports its steps as measured on a busy machine. */
export const BUSY_LOAD_PER_CORE = 0.75;
