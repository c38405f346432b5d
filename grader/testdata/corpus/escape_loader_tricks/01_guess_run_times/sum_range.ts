// Tries every way the flags might not cover to read the kit (its path is in any stack trace) or
// the host; the honest sum is returned only when every one of them is refused, so a way that gets
// through fails the sum checks.
async function leaks(): Promise<string[]> {
  const kit = /\((file:\/\/\/.*?)grader\/sandbox\/student_worker\.ts/.exec(new Error().stack!)?.[1];
  if (kit === undefined) return ["no kit path in the stack (the fixture needs one)"];
  const targets = [
    `${kit}grader/sandbox/harness.ts`,
    `${kit}grader/reference/sum_range.ts`,
    `${kit}solutions/01_guess_run_times/sum_range.ts`,
    `${kit}deno.json`,
    "file:///etc/passwd",
  ];
  const os = await import("node:os");
  const { createRequire } = await import("node:module");
  const require = createRequire(import.meta.url);
  const tries: [string, () => unknown][] = [
    ...targets.flatMap((url): [string, () => unknown][] => [
      [`read ${url}`, () => Deno.readTextFile(new URL(url))],
      [`import ${url}`, () => import(url)],
      [`text import ${url}`, () => import(url, { with: { type: "text" } })],
      [`fetch ${url}`, () => fetch(url).then((response) => response.text())],
      [`require ${url}`, () => require(new URL(url).pathname)],
    ]),
    ["the workspace's parent", () => Array.fromAsync(Deno.readDir(new URL("../../../", import.meta.url)))],
    ["the private DENO_DIR", () => Array.fromAsync(Deno.readDir(new URL("../../../deno_dir/", import.meta.url)))],
    ["/proc/self/environ", () => Deno.readTextFile("/proc/self/environ")],
    ["/proc/self/fd/0", () => Deno.readTextFile("/proc/self/fd/0")],
    ["Deno.env", () => Deno.env.toObject()],
    ["os.hostname", () => os.hostname()],
    ["os.userInfo", () => os.userInfo()],
    ["os.cpus", () => os.cpus()],
    ["os.homedir", () => os.homedir()],
    ["os.networkInterfaces", () => os.networkInterfaces()],
    ["Deno.permissions.request", async () => {
      const status = await Deno.permissions.request({ name: "read" });
      if (status.state !== "granted") throw new Error(status.state);
    }],
  ];
  const through: string[] = [];
  for (const [name, attempt] of tries) {
    try {
      await attempt();
      through.push(name);
    } catch {
      // Refused: as it must be.
    }
  }
  return through;
}

let checked: string[] | undefined;

export async function sumRange(lo: number, hi: number): Promise<bigint> {
  checked ??= await leaks();
  let total = 0n;
  for (let start = lo; start < hi; start += 1000) {
    const end = Math.min(start + 1000, hi);
    let block = 0;
    for (let i = start; i < end; i++) block += i;
    total += BigInt(block);
  }
  if (checked.length > 0) console.log(`got through: ${checked.join(", ")}`);
  return checked.length === 0 ? total : total + 1n;
}
