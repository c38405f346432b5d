/**
 * CPU sets for the batch's correctness lanes: on a machine with more than 2 cores, each lane's
 * sandboxes are pinned (`taskset`, Linux) to cores of their own, so a submission that spins many
 * threads takes CPU only from its own lane. The student's code cannot widen its set: it may not run
 * programs or load libraries, and Deno has no affinity API.
 *
 * @module
 */

/**
 * The cores this process may run on (`Cpus_allowed_list` of `/proc/self/status`), or `undefined`
 * where the OS does not say.
 *
 * @returns The core ids, ascending.
 *
 * @example Usage
 * ```ts
 * import { allowedCpus } from "./cpu_sets.ts";
 * import { ok } from "node:assert/strict";
 *
 * const cpus = await allowedCpus();
 * ok(cpus === undefined || cpus.length >= 1);
 * ```
 */
export async function allowedCpus(): Promise<number[] | undefined> {
  try {
    const status = await Deno.readTextFile("/proc/self/status");
    const list = /Cpus_allowed_list:\s*(\S+)/.exec(status)?.[1];
    if (!list) return undefined;
    const cpus: number[] = [];
    for (const part of list.split(",")) {
      const [from, to = from] = part.split("-").map(Number);
      for (let cpu = from!; cpu <= to!; cpu++) cpus.push(cpu);
    }
    return cpus.every(Number.isInteger) && cpus.length > 0 ? cpus : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Splits cores into `lanes` disjoint sets of (nearly) equal size, in order.
 *
 * @param cpus The cores.
 * @param lanes How many sets.
 * @returns One set per lane; an empty list when there are fewer cores than lanes.
 *
 * @example Usage
 * ```ts
 * import { laneCpus } from "./cpu_sets.ts";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(laneCpus([0, 1, 2, 3, 4], 2), [[0, 1], [2, 3, 4]]);
 * deepEqual(laneCpus([0, 1], 3), []);
 * ```
 */
export function laneCpus(cpus: readonly number[], lanes: number): number[][] {
  if (lanes < 1 || cpus.length < lanes) return [];
  return Array.from({ length: lanes }, (_, lane) => {
    const from = Math.floor((lane * cpus.length) / lanes);
    const to = Math.floor(((lane + 1) * cpus.length) / lanes);
    return cpus.slice(from, to);
  });
}

let tasksetPath: Promise<string | undefined> | undefined;

/** The `taskset` program, where there is one (util-linux); looked up once. */
function taskset(): Promise<string | undefined> {
  tasksetPath ??= (async () => {
    for (const path of ["/usr/bin/taskset", "/bin/taskset"]) {
      if (await Deno.stat(path).then((info) => info.isFile, () => false)) return path;
    }
    return undefined;
  })();
  return tasksetPath;
}

/**
 * The program and arguments that run `program args` pinned to `cpus`: through `taskset` on Linux
 * when it is there, else as they are (unpinned).
 *
 * @param program The program.
 * @param args Its arguments.
 * @param cpus The cores to pin it to; `undefined` or empty: not pinned.
 * @returns What to spawn.
 *
 * @example Usage
 * ```ts
 * import { pinned } from "./cpu_sets.ts";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(await pinned("deno", ["run"], undefined), { program: "deno", args: ["run"] });
 * ```
 */
export async function pinned(
  program: string,
  args: string[],
  cpus: readonly number[] | undefined,
): Promise<{ program: string; args: string[] }> {
  const path = cpus?.length && Deno.build.os === "linux" ? await taskset() : undefined;
  if (!path || !cpus) return { program, args };
  return { program: path, args: ["-c", cpus.join(","), program, ...args] };
}
