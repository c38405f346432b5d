/**
 * Tasks for lib/'s `Manager.stats()` and shared-manager tests: each runs in a worker and says which
 * thread it ran on.
 *
 * @module
 */
import { threadId } from "node:worker_threads";
import { defineTasks } from "../task.ts";
import type { DictProxy } from "../dict_proxy.ts";
import type { Manager } from "../manager.ts";

/** Sets `key` to this thread's id `times` times; returns the id. */
function setOwnId(dict: DictProxy<string, number>, key: string, times: number): number {
  for (let i = 0; i < times; i++) dict.set(key, threadId);
  return threadId;
}

/** Reads `key` once (a call that writes nothing); returns this thread's id. */
function readOnce(dict: DictProxy<string, number>, key: string): number {
  dict.get(key);
  return threadId;
}

/**
 * Uses a manager received as an argument: makes a dict on it, writes it, and tries to shut the
 * manager down (a copy cannot); returns the dict and what happened.
 */
async function useReceived(
  manager: Manager,
): Promise<{ dict: DictProxy<string, number>; threw: string; running: boolean; threadId: number }> {
  const dict = manager.dict<string, number>({ from: threadId });
  dict.increment("hits");
  let threw = "";
  try {
    await manager.shutdown();
  } catch (error) {
    threw = (error as Error).name;
  }
  await manager[Symbol.asyncDispose]();
  return { dict, threw, running: manager.running, threadId };
}

export const managerStatsTasks = defineTasks(import.meta.url, { setOwnId, readOnce, useReceived });
