import { deepEqual, equal, notEqual, ok } from "node:assert/strict";
import { checkRoot, SLOTS, STALE_LOCK_MS } from "./_typecheck_slot.ts";

Deno.test("checkRoot() gives runs at once different slots, keeps only the cache, and frees them", async () => {
  const kit = await Deno.makeTempDir();
  try {
    const first = await checkRoot(kit);
    const second = await checkRoot(kit);
    notEqual(first.root, second.root);
    equal(first.kept && second.kept, true);
    await Deno.mkdir(`${first.root}/.deno`);
    await Deno.writeTextFile(`${first.root}/.deno/cache`, "c");
    await Deno.mkdir(`${first.root}/exercises/01_x`, { recursive: true });
    await Deno.writeTextFile(`${first.root}/exercises/01_x/other.ts`, "export const x = 1;");
    await first[Symbol.asyncDispose]();
    await second[Symbol.asyncDispose]();
    await using again = await checkRoot(kit);
    equal(again.root, first.root, "the first slot is free again");
    deepEqual([...Deno.readDirSync(again.root)].map((entry) => entry.name), [".deno"]);
    equal(await Deno.readTextFile(`${again.root}/.deno/cache`), "c");
  } finally {
    await Deno.remove(kit, { recursive: true });
  }
});

Deno.test("checkRoot() falls back to a temporary folder when every slot is held", async () => {
  const kit = await Deno.makeTempDir();
  const held = [];
  try {
    for (let i = 0; i < SLOTS; i++) held.push(await checkRoot(kit));
    ok(held.every((slot) => slot.kept));
    const extra = await checkRoot(kit);
    equal(extra.kept, false);
    ok(!extra.root.startsWith(await Deno.realPath(kit)));
    await extra[Symbol.asyncDispose]();
    equal(await Deno.stat(extra.root).then(() => true, () => false), false, "removed after");
  } finally {
    for (const slot of held) await slot[Symbol.asyncDispose]();
    await Deno.remove(kit, { recursive: true });
  }
});

Deno.test("checkRoot() takes over a lock left by a run that did not end", async () => {
  const kit = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${kit}/.parakit/typecheck`, { recursive: true });
    const lock = `${kit}/.parakit/typecheck/slot-0.lock`;
    await Deno.writeTextFile(lock, "");
    const old = new Date(Date.now() - STALE_LOCK_MS - 1000);
    await Deno.utime(lock, old, old);
    await using slot = await checkRoot(kit);
    ok(slot.root.endsWith("/slot-0"), slot.root);
  } finally {
    await Deno.remove(kit, { recursive: true });
  }
});

Deno.test("checkRoot() uses a temporary folder when the kit is not writable", async () => {
  const file = await Deno.makeTempFile();
  try {
    await using slot = await checkRoot(file);
    equal(slot.kept, false);
  } finally {
    await Deno.remove(file);
  }
});
