import { deepEqual, equal, match, notEqual, ok, rejects } from "node:assert/strict";
import { copyStudentFiles, findExerciseFolder, ingestSubmission } from "./ingest.ts";

const ENTRY = { slug: "01_a", files: ["a.ts", "b.ts"] };

async function withDirs(body: (dir: string, elsewhere: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "parakit_ingest_" });
  const elsewhere = await Deno.makeTempDir({ prefix: "parakit_ingest_other_" });
  try {
    await Deno.writeTextFile(`${elsewhere}/a.ts`, "export const stolen = 1;");
    await Deno.mkdir(`${elsewhere}/01_a`);
    await Deno.writeTextFile(`${elsewhere}/01_a/a.ts`, "export const stolen = 1;");
    await body(dir, elsewhere);
  } finally {
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(elsewhere, { recursive: true });
  }
}

async function taken(root: string, path: string): Promise<boolean> {
  return await Deno.lstat(`${root}/${path}`).then((info) => info.isFile, () => false);
}

Deno.test("ingestSubmission() copies the catalog's files and nothing else", async () => {
  await withDirs(async (dir) => {
    await Deno.mkdir(`${dir}/01_a`);
    await Deno.writeTextFile(`${dir}/01_a/a.ts`, "export const a = 1;");
    await Deno.writeTextFile(`${dir}/01_a/extra.ts`, "export const x = 1;");
    await Deno.mkdir(`${dir}/lib`);
    await Deno.writeTextFile(`${dir}/lib/mod.ts`, "throw new Error('not the kit lib');");
    await using copy = await ingestSubmission(dir, [ENTRY]);
    deepEqual(copy.problems, []);
    equal(await Deno.readTextFile(`${copy.root}/01_a/a.ts`), "export const a = 1;");
    equal(await taken(copy.root, "01_a/extra.ts"), false);
    equal(await taken(copy.root, "lib/mod.ts"), false);
    equal(copy.bytes, "export const a = 1;".length);
    ok(!copy.root.startsWith(dir));
  });
});

Deno.test("ingestSubmission() refuses a linked file, a linked exercise folder and a linked parent", async () => {
  await withDirs(async (dir, elsewhere) => {
    // A file linked to a classmate's.
    await Deno.mkdir(`${dir}/01_a`);
    await Deno.symlink(`${elsewhere}/a.ts`, `${dir}/01_a/a.ts`);
    // Relative links too.
    await Deno.symlink(`../../${elsewhere.split("/").pop()}/a.ts`, `${dir}/01_a/b.ts`);
    await using one = await ingestSubmission(dir, [ENTRY]);
    deepEqual(one.problems.map((p) => p.path), ["01_a/a.ts", "01_a/b.ts"]);
    match(one.problems[0]!.reason, /is a link/);
    equal(await taken(one.root, "01_a/a.ts"), false);
    await Deno.remove(`${dir}/01_a`, { recursive: true });

    // The exercise folder itself is a link (to solutions/, say).
    await Deno.symlink(`${elsewhere}/01_a`, `${dir}/01_a`);
    await using two = await ingestSubmission(dir, [ENTRY]);
    deepEqual(two.problems.map((p) => p.path), ["01_a"]);
    equal(await taken(two.root, "01_a/a.ts"), false);
    await Deno.remove(`${dir}/01_a`);

    // A parent folder is a link: exercises/ -> elsewhere (Deno.lstat alone would follow it).
    await Deno.symlink(elsewhere, `${dir}/exercises`);
    await using three = await ingestSubmission(dir, [ENTRY]);
    deepEqual(three.problems.map((p) => p.path), ["exercises"]);
    equal(await taken(three.root, "01_a/a.ts"), false);
  });
});

Deno.test("ingestSubmission() refuses a fifo and a folder where a file should be", async () => {
  await withDirs(async (dir) => {
    await Deno.mkdir(`${dir}/01_a/b.ts`, { recursive: true });
    const fifo = await new Deno.Command("mkfifo", { args: [`${dir}/01_a/a.ts`] }).output();
    ok(fifo.success);
    await using copy = await ingestSubmission(dir, [ENTRY]);
    deepEqual(copy.problems.map((p) => [p.path, p.reason]), [
      ["01_a/a.ts", "is not a regular file (a device, fifo or socket)"],
      ["01_a/b.ts", "is a folder, not a file"],
    ]);
  });
});

Deno.test("ingestSubmission() refuses a file over its cap and files past the submission's cap", async () => {
  await withDirs(async (dir) => {
    await Deno.mkdir(`${dir}/01_a`);
    await Deno.mkdir(`${dir}/02_b`);
    await Deno.writeTextFile(`${dir}/01_a/a.ts`, "x".repeat(600));
    await Deno.writeTextFile(`${dir}/01_a/b.ts`, "x".repeat(2000));
    await Deno.writeTextFile(`${dir}/02_b/c.ts`, "x".repeat(600));
    await using copy = await ingestSubmission(
      dir,
      [ENTRY, { slug: "02_b", files: ["c.ts"] }],
      { fileBytes: 1024, submissionBytes: 1000 },
    );
    deepEqual(copy.problems.map((p) => [p.path, p.reason]), [
      ["01_a/b.ts", "is larger than the cap of 1 KiB a file"],
      ["02_b/c.ts", "would take the submission past its cap of 1000 bytes"],
    ]);
    equal(copy.bytes, 600);
    equal(await taken(copy.root, "01_a/a.ts"), true);
    await rejects(ingestSubmission(dir, [ENTRY], { fileBytes: 0 }), RangeError);
  });
});

Deno.test("ingestSubmission() fingerprints what it took and what it refused", async () => {
  await withDirs(async (dir, elsewhere) => {
    await Deno.mkdir(`${dir}/01_a`);
    await Deno.writeTextFile(`${dir}/01_a/a.ts`, "export const a = 1;");
    const print = async () => {
      await using copy = await ingestSubmission(dir, [ENTRY]);
      return copy.fingerprint;
    };
    const first = await print();
    equal(await print(), first);
    await Deno.symlink(`${elsewhere}/a.ts`, `${dir}/01_a/b.ts`);
    notEqual(await print(), first);
  });
});

Deno.test("ingestSubmission() takes the kit layout when the exercise folder is not beside it", async () => {
  await withDirs(async (dir) => {
    await Deno.mkdir(`${dir}/exercises/01_a`, { recursive: true });
    await Deno.writeTextFile(`${dir}/exercises/01_a/a.ts`, "export const a = 1;");
    await using copy = await ingestSubmission(dir, [ENTRY]);
    equal(await taken(copy.root, "01_a/a.ts"), true);
    deepEqual((await findExerciseFolder(dir, "01_a")).folder, "exercises/01_a");
  });
});

Deno.test("ingestSubmission() removes its private tree on dispose", async () => {
  await withDirs(async (dir) => {
    let root = "";
    {
      await using copy = await ingestSubmission(dir, [ENTRY]);
      root = copy.root;
      ok((await Deno.stat(root)).isDirectory);
    }
    await rejects(Deno.stat(root), Deno.errors.NotFound);
  });
});

Deno.test("copyStudentFiles() copies no link, even from a folder that skipped ingestion", async () => {
  await withDirs(async (dir, elsewhere) => {
    const to = await Deno.makeTempDir();
    try {
      await Deno.symlink(`${elsewhere}/a.ts`, `${dir}/a.ts`);
      const problems = await copyStudentFiles(dir, ["a.ts"], to);
      equal(problems.length, 1);
      equal(await taken(to, "a.ts"), false);
    } finally {
      await Deno.remove(to, { recursive: true });
    }
  });
});

Deno.test("ingestSubmission() refuses a student folder that is a link into the kit or a classmate's folder, and follows one that leads elsewhere", async () => {
  await withDirs(async (dir, elsewhere) => {
    const kit = `${dir}/kit`;
    const submissions = `${dir}/submissions`;
    await Deno.mkdir(`${kit}/solutions/01_a`, { recursive: true });
    await Deno.writeTextFile(`${kit}/solutions/01_a/a.ts`, "export const solved = 1;");
    await Deno.mkdir(`${submissions}/bob/01_a`, { recursive: true });
    await Deno.writeTextFile(`${submissions}/bob/01_a/a.ts`, "export const bob = 1;");
    // What an archive can unpack to: the student's folder itself a link.
    await Deno.symlink(`${kit}/solutions`, `${submissions}/solver`);
    await Deno.symlink("bob", `${submissions}/copier`);
    await Deno.symlink("./submissions/bob/../copier", `${dir}/chain`);
    await Deno.symlink(`${dir}/chain`, `${submissions}/chained`);
    // The instructor's own link to a student repo kept elsewhere.
    await Deno.symlink(elsewhere, `${submissions}/carol`);
    const notInto = [kit, submissions];
    for (
      const [student, into] of [["solver", kit], ["copier", submissions], ["chained", submissions]]
    ) {
      await using copy = await ingestSubmission(`${submissions}/${student}`, [ENTRY], { notInto });
      deepEqual(copy.problems.map((p) => [p.path, p.reason.startsWith(`is a link into ${into}`)]), [
        [student, true],
      ]);
      equal(await taken(copy.root, "01_a/a.ts"), false);
    }
    await using carol = await ingestSubmission(`${submissions}/carol`, [ENTRY], { notInto });
    deepEqual(carol.problems, []);
    equal(await Deno.readTextFile(`${carol.root}/01_a/a.ts`), "export const stolen = 1;");
    await using bob = await ingestSubmission(`${submissions}/bob`, [ENTRY], { notInto });
    deepEqual(bob.problems, []);
    equal(await Deno.readTextFile(`${bob.root}/01_a/a.ts`), "export const bob = 1;");
  });
});

Deno.test({
  name: "ingestSubmission() refuses an unreadable file or folder, naming it, beside a readable one",
  // Root reads whatever the permissions say.
  ignore: Deno.build.os === "windows" || Deno.uid() === 0,
}, async () => {
  await withDirs(async (dir) => {
    await Deno.mkdir(`${dir}/01_a`);
    await Deno.writeTextFile(`${dir}/01_a/a.ts`, "export const a = 1;");
    await Deno.writeTextFile(`${dir}/01_a/b.ts`, "export const b = 1;");
    await Deno.chmod(`${dir}/01_a/b.ts`, 0o000);
    await Deno.mkdir(`${dir}/02_b`);
    await Deno.chmod(`${dir}/02_b`, 0o000);
    try {
      await using copy = await ingestSubmission(dir, [ENTRY, { slug: "02_b", files: ["c.ts"] }]);
      deepEqual(copy.problems.map((p) => p.path), ["01_a/b.ts", "02_b/c.ts"]);
      ok(copy.problems.every((p) => p.reason.startsWith("could not be read")));
      equal(await Deno.readTextFile(`${copy.root}/01_a/a.ts`), "export const a = 1;");
    } finally {
      await Deno.chmod(`${dir}/02_b`, 0o755);
    }
  });
});

Deno.test("ingestSubmission() takes a hard link as the student's file (it is one: the same inode), under the same caps", async () => {
  await withDirs(async (dir, elsewhere) => {
    // Git cannot store a hard link and tar makes them only between its own members: one that
    // reaches outside the submission was made on the instructor's disk, so its content is taken
    // as the student's; the caps still hold.
    await Deno.writeTextFile(`${elsewhere}/big.ts`, "//".repeat(1000));
    await Deno.mkdir(`${dir}/01_a`);
    await Deno.link(`${elsewhere}/a.ts`, `${dir}/01_a/a.ts`);
    await Deno.link(`${elsewhere}/big.ts`, `${dir}/01_a/b.ts`);
    await using copy = await ingestSubmission(dir, [ENTRY], { fileBytes: 1000 });
    equal(await Deno.readTextFile(`${copy.root}/01_a/a.ts`), "export const stolen = 1;");
    deepEqual(copy.problems.map((p) => p.path), ["01_a/b.ts"]);
    match(copy.problems[0]!.reason, /larger than the cap/);
  });
});
