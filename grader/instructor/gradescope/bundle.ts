/**
 * `deno task gradescope OUT.zip`: writes a Gradescope autograder bundle, the way to grade a course
 * that outgrows one machine (Gradescope runs every submission in its own container).
 *
 * The zip holds `setup.sh` (run once when Gradescope builds the image: installs Node/npm when
 * missing, Deno from npm, and caches the kit's dependencies), `run_autograder` (run per submission:
 * grades `/autograder/submission` into `/autograder/results/results.json`; `AUTOGRADER_ROOT` moves
 * `/autograder` for tests), `GRADESCOPE.md` (the settings instructors must choose) and `kit/`: this
 * kit without `solutions/`, the batch's fixture submissions and the fixture corpus.
 *
 * CPU: Gradescope gives a container half a CPU by default. The grader reads the container's CPU
 * quota; below two usable cores a speedup cannot be measured, so the speedup checks are `skipped`
 * with a message (and their points cannot be earned), never failed. Choose at least 2 CPUs (more
 * is better, 4 gives a threshold of 2.2×) in the autograder's settings so that they count.
 *
 * @module
 */
import { strToU8, type Zippable, zipSync } from "fflate";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { writeWhole } from "../_atomic_write.ts";
import { DENO_VERSION } from "../../deno_version.ts";
import { kitFiles } from "../release.ts";
import { KIT_ROOT } from "../../_kit_root.ts";
import { EXIT } from "../../_exit.ts";

/** Paths of the kit left out of the bundle (a path ending in `/` is a folder). */
export const NOT_BUNDLED: readonly string[] = [
  "solutions/",
  "grader/testdata/submissions/",
  // Its passing fixtures are complete solutions, as release.ts's INSTRUCTOR_ONLY says.
  "grader/testdata/corpus/",
  ".git/",
  ".parakit/",
  "gradebook/",
  "node_modules/",
];

/** The Deno version the bundle installs (the one CI uses). */
export { DENO_VERSION };

/** `setup.sh`: run once, as root, when Gradescope builds the autograder image. */
export const SETUP_SH = `#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v deno >/dev/null 2>&1; then
  if ! command -v npm >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm
  fi
  npm install -g "deno@${DENO_VERSION}"
fi
deno --version
cd kit
deno install
deno cache grader/cli.ts grader/instructor/gradescope/run.ts
`;

/** `run_autograder`: run per submission; grades it into `results/results.json`. */
export const RUN_AUTOGRADER = `#!/usr/bin/env bash
# Gradescope runs this for every submission: grades $ROOT/submission into
# $ROOT/results/results.json. AUTOGRADER_ROOT moves /autograder (for tests); PARAKIT_CORES
# overrides the cores the grader assumes (it reads the container's CPU quota by itself).
set -uo pipefail
ROOT="\${AUTOGRADER_ROOT:-/autograder}"
mkdir -p "$ROOT/results"
cd "$ROOT/source/kit"
args=("$ROOT/submission" "$ROOT/results/results.json")
if [ -n "\${PARAKIT_CORES:-}" ]; then args+=(--cores "$PARAKIT_CORES"); fi
exec deno run --allow-all grader/cli.ts gradescope-run "\${args[@]}"
`;

/** `GRADESCOPE.md`: what the instructor sets on Gradescope. */
export const GRADESCOPE_MD = `# parakit on Gradescope

1. Create a "Programming Assignment", choose the Ubuntu base image, and upload this zip as the
   autograder. Gradescope runs \`setup.sh\` once (Node/npm if missing, Deno ${DENO_VERSION} from npm,
   the kit's dependencies).
2. **CPU: choose at least 2 CPUs** in the autograder settings. Gradescope's default is 0.5 CPU; with
   fewer than 2 usable cores no speedup can be measured, so the speedup checks are reported as
   *skipped* with a message and their points cannot be earned (they are never failed for it).
   The speedup threshold grows with the cores (1.4× on 2, 2.2× on 4).
3. Memory: 2 GB or more (a sandbox is capped at 1.5 GiB; a student's code that passes it is
   reported as out of memory).
4. Students submit the exercise folders (\`01_guess_run_times/sum_range.ts\`, ...), their copy of the
   kit, a zip of either, or the student files alone; only the catalog's student files are taken.

Each test on Gradescope is one check of one exercise, with the grader's message, measurements,
and the machine and thresholds it was measured with.
`;

/** Exit codes of `deno task gradescope`. */
export const GRADESCOPE_EXIT = {
  ok: EXIT.passed,
  usage: EXIT.usage,
  failed: EXIT.internal,
} as const;

const EXECUTABLE = 0o755;
/** The zip "made by" system for Unix (APPNOTE 4.4.2.2), so that unzip restores file modes. */
const UNIX = 3;

/** Options for {@linkcode gradescopeBundle}. */
export interface GradescopeBundleOptions {
  /** The kit to bundle; default this kit. */
  kitRoot?: string;
}

/**
 * Builds the autograder bundle's zip.
 *
 * @param options The kit to bundle.
 * @returns The zip's bytes and the kit files it holds.
 *
 * @example Usage
 * ```ts
 * import { gradescopeBundle } from "./bundle.ts";
 * import { unzipSync } from "fflate";
 * import { ok } from "node:assert/strict";
 *
 * const { zip } = await gradescopeBundle();
 * ok("run_autograder" in unzipSync(zip));
 * ```
 */
export async function gradescopeBundle(
  options: GradescopeBundleOptions = {},
): Promise<{ zip: Uint8Array; files: string[] }> {
  const kitRoot = options.kitRoot ?? KIT_ROOT;
  const files = (await kitFiles(kitRoot))
    .filter((path) =>
      !NOT_BUNDLED.some((excluded) =>
        excluded.endsWith("/") ? path.startsWith(excluded) : path === excluded
      )
    )
    .sort();
  const entries: Zippable = {
    "setup.sh": [strToU8(SETUP_SH), { os: UNIX, attrs: unixMode(EXECUTABLE) }],
    "run_autograder": [strToU8(RUN_AUTOGRADER), { os: UNIX, attrs: unixMode(EXECUTABLE) }],
    "GRADESCOPE.md": [strToU8(GRADESCOPE_MD), { os: UNIX, attrs: unixMode(0o644) }],
  };
  const bundled: string[] = [];
  for (const path of files) {
    const info = await Deno.lstat(join(kitRoot, path)).catch(() => undefined);
    if (!info?.isFile) continue; // links and files deleted from the working tree stay out
    entries[`kit/${path}`] = [
      await Deno.readFile(join(kitRoot, path)),
      { os: UNIX, attrs: unixMode((info.mode ?? 0o644) & 0o777) },
    ];
    bundled.push(path);
  }
  return { zip: zipSync(entries, { level: 6 }), files: bundled };
}

/** Zip external attributes for a Unix file mode (regular file). */
function unixMode(mode: number): number {
  return ((0o100000 | mode) << 16) >>> 0;
}

/**
 * The `gradescope` command.
 *
 * @param args `OUT.zip`.
 * @returns The exit code: 0 written, 2 bad usage, 3 failed.
 *
 * @example Usage
 * ```ts
 * import { gradescopeMain } from "./bundle.ts";
 * import { equal } from "node:assert/strict";
 *
 * equal(await gradescopeMain(["bundle.tar"]), 2);
 * ```
 */
export async function gradescopeMain(args: string[]): Promise<number> {
  const usage = "deno task gradescope OUT.zip";
  let positionals: string[];
  try {
    ({ positionals } = parseArgs({ args, allowPositionals: true, options: {} }));
  } catch (error) {
    console.error(`error: ${(error as Error).message}: usage: ${usage}`);
    return GRADESCOPE_EXIT.usage;
  }
  const out = positionals[0];
  if (positionals.length !== 1 || !out?.endsWith(".zip")) {
    console.error(`error: give one output file ending in .zip: usage: ${usage}`);
    return GRADESCOPE_EXIT.usage;
  }
  try {
    const { zip, files } = await gradescopeBundle();
    await writeWhole(resolve(out), zip);
    console.log(
      `wrote ${resolve(out)} (${(zip.length / 1024).toFixed(0)} KiB, ${files.length} kit files): ` +
        `upload it as the autograder; choose at least 2 CPUs, or the speedup checks are skipped ` +
        `(see GRADESCOPE.md inside)`,
    );
    return GRADESCOPE_EXIT.ok;
  } catch (error) {
    console.error(`error: the bundle failed: ${(error as Error)?.stack ?? error}`);
    return GRADESCOPE_EXIT.failed;
  }
}
