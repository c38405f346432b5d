/**
 * {@linkcode ManagerClosedError}: what every proxy call and `Manager` method throws once its
 * manager has shut down. In a file of its own because the proxies, the connection under them and
 * the `Manager` all throw it.
 *
 * @module
 */

/**
 * The manager was shut down (or its worker ended): its proxies no longer work.
 *
 * @example Usage
 * ```ts
 * import { ManagerClosedError } from "./manager_closed_error.ts";
 * import { equal } from "node:assert/strict";
 *
 * equal(new ManagerClosedError("Cannot use dict: the manager has shut down").name, "ManagerClosedError");
 * ```
 */
export class ManagerClosedError extends Error {
  /**
   * Makes the error.
   *
   * @param message What was tried.
   * @param options The error's cause.
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ManagerClosedError";
  }
}
