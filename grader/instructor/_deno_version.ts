/**
 * The Deno version the kit pins, in one place: the Gradescope bundle's `setup.sh` and the GitHub
 * Classroom workflow install it (`.ci/run` and the README say the same; a test holds them to it).
 *
 * @module
 */

/** The Deno version the kit is tested with and installs where it grades. */
export const DENO_VERSION = "2.9.6";
