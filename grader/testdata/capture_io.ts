/**
 * A `CliIo` that keeps what a command printed, for the CLI's tests.
 *
 * @module
 */
import type { CliIo } from "../cli.ts";

/** A {@linkcode CliIo} with what went to stdout and stderr kept, line by line. */
export interface CapturedIo extends CliIo {
  /** What went to stdout. */
  stdout: string[];
  /** What went to stderr. */
  stderr: string[];
}

/**
 * Makes an uncoloured, progress-free {@linkcode CliIo} that keeps every line.
 *
 * @returns The io and its kept lines.
 */
export function captureIo(): CapturedIo {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (text) => void stdout.push(text),
    err: (text) => void stderr.push(text),
    color: false,
    progress: false,
  };
}
