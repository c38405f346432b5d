/**
 * The raw floor's worker: answers every message at once with the same message.
 *
 * @module
 */
import { parentPort } from "node:worker_threads";

parentPort!.on("message", (message: unknown) => parentPort!.postMessage(message));
