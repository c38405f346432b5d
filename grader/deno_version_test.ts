import { equal, match, ok } from "node:assert/strict";
import { EXIT, main } from "./cli.ts";
import { captureIo } from "./testdata/capture_io.ts";
import { compareVersions, kitRequirement, tooOld } from "./deno_version.ts";

const capture = captureIo;

Deno.test("kitRequirement() is what the README tells a student to have", async () => {
  const { minimum, tested } = await kitRequirement();
  const readme = await Deno.readTextFile(new URL("../README.md", import.meta.url));
  match(readme, new RegExp(`needs Deno ${minimum.replaceAll(".", "\\.")} or newer`));
  match(readme, new RegExp(`below ${minimum.replaceAll(".", "\\.")}`));
  match(readme, new RegExp(`npm install -g deno@${tested.replaceAll(".", "\\.")}`));
  ok(compareVersions(minimum, tested) <= 0);
});

Deno.test("kitRequirement() is met by the Deno running the tests", async () => {
  equal(tooOld(Deno.version.deno, await kitRequirement()), undefined);
});

Deno.test("main() refuses an older Deno at once, on one line, with exit code 2", async () => {
  const { minimum, tested } = await kitRequirement();
  for (const args of [["check", "1"], ["list"], ["hint", "1"], ["watch"], []]) {
    const io = capture();
    equal(await main(args, { io, denoVersion: "2.4.4" }), EXIT.usage, args.join(" "));
    equal(io.stdout.join(""), "");
    equal(
      io.stderr.join(""),
      `error: this kit needs Deno ${minimum} or newer, and this is Deno 2.4.4: install the tested one with npm install -g deno@${tested} (or deno upgrade ${tested})\n`,
    );
  }
  const io = capture();
  equal(await main(["list"], { io, denoVersion: minimum }), EXIT.passed);
});
