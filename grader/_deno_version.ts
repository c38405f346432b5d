/**
 * The Deno version the kit pins, in one place: `deno.json`'s `parakit.testedDeno` (beside
 * `parakit.minimumDeno`, which the CLI enforces: `deno_version.ts`). The Gradescope bundle's
 * `setup.sh` and the GitHub Classroom workflow install it; `.ci/run` and the README say the same,
 * and a test holds them to it.
 *
 * @module
 */
import config from "../deno.json" with { type: "json" };

/** The Deno version the kit is tested with and installs where it grades. */
export const DENO_VERSION: string = config.parakit.testedDeno;
