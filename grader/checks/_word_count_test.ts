import { equal } from "node:assert/strict";
import { countWords, wordTexts } from "./_word_count.ts";

Deno.test("countWords() lower-cases and splits on any whitespace", () => {
  const texts = wordTexts(5);
  const counts = countWords(texts);
  const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
  equal(total, texts.join(" ").split(/\s+/).filter((word) => word !== "").length);
  equal(Object.keys(counts).every((word) => word === word.toLowerCase()), true);
});
