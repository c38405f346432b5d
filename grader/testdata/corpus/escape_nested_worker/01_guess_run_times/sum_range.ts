// A node:worker_threads Worker with options of its own still runs with the sandbox's rights.
const { Worker } = await import("node:worker_threads");
await new Promise((resolve, reject) => {
  const code = "require(\"node:fs\").readFileSync(\"/etc/hostname\", \"utf8\");";
  const worker = new Worker(code, { eval: true, resourceLimits: { maxOldGenerationSizeMb: 64 } });
  worker.on("exit", resolve);
  worker.on("error", reject);
});

export function sumRange(lo: number, hi: number): bigint {
  let total = 0n;
  for (let start = lo; start < hi; start += 1_000_000) {
    const end = Math.min(start + 1_000_000, hi);
    let block = 0;
    for (let i = start; i < end; i++) block += i;
    total += BigInt(block);
  }
  return total;
}
