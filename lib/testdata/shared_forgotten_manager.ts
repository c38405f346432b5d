/**
 * A program that makes a Manager, uses it and never shuts it down: it must still end by itself
 * (run by `manager_test.ts` in a subprocess).
 *
 * @module
 */
import { Manager } from "../manager.ts";

const manager = new Manager();
manager.dict<string, number>().set("a", 1);
console.log("done");
