/**
 * Loads `answer_tasks.ts` where the kit has it (the instructor's kit), for the few lib tests whose
 * tasks are parts of exercise 3's answers; the student kit leaves that file out, and those tests are
 * ignored there. The specifier is not a literal, so type-checking the student kit does not look for
 * the missing file; the types below say what the tasks are.
 *
 * @module
 */
import type { Task } from "../task.ts";
import type { DictProxy } from "../dict_proxy.ts";
import type { Queue } from "../queue.ts";
import type { Value } from "../value.ts";

/** The tasks of `answer_tasks.ts`. */
export interface AnswerTasks {
  /** Adds 1 to the counter `times` times, each under the Value's own lock. */
  addWithValueLock: Task<[Value<"i">, number], number>;
  /** Puts the square of each number it gets, until null; then null. */
  squareAll: Task<[Queue<number | null>, Queue<number | null>], void>;
  /** Counts the words of some texts locally, then merges them in one atomic call. */
  countWords: Task<[DictProxy<string, number>, string[]], number>;
}

const ANSWERS = new URL("./answer_tasks.ts", import.meta.url);

/** Whether this kit holds `answer_tasks.ts` (false in the student kit). */
export const HAS_ANSWERS: boolean = await Deno.stat(ANSWERS).then(() => true, () => false);

/**
 * The answer-shaped tasks; call only where {@linkcode HAS_ANSWERS} is true.
 *
 * @returns The tasks.
 */
export async function answerTasks(): Promise<AnswerTasks> {
  const module = await import(ANSWERS.href) as { answerTasks: AnswerTasks };
  return module.answerTasks;
}
