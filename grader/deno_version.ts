/**
 * The Deno a kit needs: the oldest release it really works on and the one it is tested with, both
 * read from the kit's `deno.json` (`parakit.minimumDeno`, `parakit.testedDeno`: the one source the
 * README is tested against), and the one-line refusal every command gives an older Deno. Older
 * releases fail in ways that look like the student's fault (on Deno 2.8.1, exercise 3's
 * `wordCount()` solution times out), so they are refused before anything runs.
 *
 * `DENO_VERSION` is the tested one, for what installs Deno where the kit grades (the GitHub
 * Classroom workflow, the Gradescope bundle's `setup.sh`; `.ci/run` and the README say the same,
 * and a test holds them to it).
 *
 * @module
 */
import config from "../deno.json" with { type: "json" };

/** The Deno version the kit is tested with and installs where it grades (`parakit.testedDeno`). */
export const DENO_VERSION: string = config.parakit.testedDeno;

/** The kit's Deno requirement. */
export interface DenoRequirement {
  /** The oldest Deno the kit works on (`2.8.2`). */
  minimum: string;
  /** The Deno the kit is tested with, the one to install (`2.9.6`). */
  tested: string;
}

const VERSION = /^(\d+)\.(\d+)\.(\d+)/;

function parts(version: string): [number, number, number] {
  const match = VERSION.exec(version);
  if (!match) throw new TypeError(`Cannot compare Deno versions: not a version: ${version}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

/**
 * Compares two Deno versions (`major.minor.patch`, anything after is ignored).
 *
 * @param a A version.
 * @param b Another.
 * @returns A negative number when `a` is older, 0 when equal, positive when newer.
 * @throws {TypeError} If either is not a version.
 *
 * @example Usage
 * ```ts
 * import { compareVersions } from "./deno_version.ts";
 * import { ok } from "node:assert/strict";
 *
 * ok(compareVersions("2.8.1", "2.8.2") < 0);
 * ok(compareVersions("2.10.0", "2.9.6") > 0);
 * ok(compareVersions("2.9.6+1a2b3c", "2.9.6") === 0);
 * ```
 */
export function compareVersions(a: string, b: string): number {
  const [x, y] = [parts(a), parts(b)];
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}

/**
 * Reads the kit's Deno requirement from its `deno.json`.
 *
 * @param config The parsed `deno.json`.
 * @returns The requirement.
 * @throws {TypeError} If `parakit.minimumDeno` or `parakit.testedDeno` is missing or no version.
 *
 * @example Usage
 * ```ts
 * import { denoRequirement } from "./deno_version.ts";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(denoRequirement({ parakit: { minimumDeno: "2.8.2", testedDeno: "2.9.6" } }), {
 *   minimum: "2.8.2",
 *   tested: "2.9.6",
 * });
 * ```
 */
export function denoRequirement(config: unknown): DenoRequirement {
  const section = (config as { parakit?: { minimumDeno?: unknown; testedDeno?: unknown } })
    ?.parakit;
  const minimum = section?.minimumDeno;
  const tested = section?.testedDeno;
  if (typeof minimum !== "string" || typeof tested !== "string") {
    throw new TypeError(
      "Cannot read the kit's Deno requirement: deno.json needs parakit.minimumDeno and parakit.testedDeno",
    );
  }
  parts(minimum);
  parts(tested);
  return { minimum, tested };
}

/**
 * Reads the requirement of the kit this grader belongs to, from its `deno.json`.
 *
 * @returns The requirement.
 * @throws {TypeError} If `deno.json` lacks it.
 *
 * @example Usage
 * ```ts
 * import { compareVersions, kitRequirement } from "./deno_version.ts";
 * import { ok } from "node:assert/strict";
 *
 * const { minimum, tested } = await kitRequirement();
 * ok(compareVersions(minimum, tested) <= 0);
 * ```
 */
export async function kitRequirement(): Promise<DenoRequirement> {
  const text = await Deno.readTextFile(new URL("../deno.json", import.meta.url));
  return denoRequirement(JSON.parse(text));
}

/**
 * Says why a Deno is too old for the kit, or nothing when it is recent enough.
 *
 * @param current The running Deno's version (`Deno.version.deno`).
 * @param requirement The kit's requirement.
 * @returns One line naming both versions and the install command, or `undefined`.
 *
 * @example Usage
 * ```ts
 * import { tooOld } from "./deno_version.ts";
 * import { equal } from "node:assert/strict";
 *
 * const requirement = { minimum: "2.8.2", tested: "2.9.6" };
 * equal(tooOld("2.9.6", requirement), undefined);
 * equal(
 *   tooOld("2.4.4", requirement),
 *   "this kit needs Deno 2.8.2 or newer, and this is Deno 2.4.4: install the tested one with npm install -g deno@2.9.6 (or deno upgrade 2.9.6)",
 * );
 * ```
 */
export function tooOld(current: string, requirement: DenoRequirement): string | undefined {
  if (compareVersions(current, requirement.minimum) >= 0) return undefined;
  return `this kit needs Deno ${requirement.minimum} or newer, and this is Deno ${current}: install the tested one with npm install -g deno@${requirement.tested} (or deno upgrade ${requirement.tested})`;
}
