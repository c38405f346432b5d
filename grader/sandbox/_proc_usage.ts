/**
 * What the OS says a process uses, read from outside it (`/proc`, Linux): its resident memory and
 * its CPU time. The sandbox's memory and CPU watch reads them; elsewhere they say nothing.
 *
 * @module
 */

/**
 * A process's resident memory, from `/proc/PID/status` `VmRSS` (Linux).
 *
 * @param pid The process.
 * @returns Its resident memory in MB, or 0 where the OS does not say (or it has ended).
 *
 * @example Usage
 * ```ts
 * import { residentMb } from "./_proc_usage.ts";
 * import { ok } from "node:assert/strict";
 *
 * ok((await residentMb(Deno.pid)) >= 0);
 * ```
 */
export async function residentMb(pid: number): Promise<number> {
  try {
    const status = await Deno.readTextFile(`/proc/${pid}/status`);
    const match = /VmRSS:\s+(\d+)\s+kB/.exec(status);
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** The kernel's clock ticks per second (`getconf CLK_TCK`: 100 on every Linux Deno runs on). */
const CLOCK_TICKS = 100;

/**
 * The CPU time (user + system, every thread) a process has used, from `/proc/PID/stat` (Linux).
 *
 * @param pid The process.
 * @returns Seconds, or `undefined` where the OS does not say.
 *
 * @example Usage
 * ```ts
 * import { cpuSeconds } from "./_proc_usage.ts";
 * import { ok } from "node:assert/strict";
 *
 * const seconds = await cpuSeconds(Deno.pid);
 * ok(seconds === undefined || seconds >= 0);
 * ```
 */
export async function cpuSeconds(pid: number): Promise<number | undefined> {
  try {
    const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
    // Fields after the command name (which may hold spaces), from field 3 (state) on.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks / CLOCK_TICKS : undefined;
  } catch {
    return undefined;
  }
}
