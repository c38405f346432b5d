import { equal } from "node:assert/strict";
import { gradebookCsv } from "./csv.ts";
import { fakeCheck, fakeExercise, fakeGradebook, fakeStudent } from "./_fake_results.ts";

Deno.test("gradebookCsv() writes a header and one row per student, quoting odd names", () => {
  equal(
    gradebookCsv(fakeGradebook()),
    [
      "student,score,max_score,01_guess_run_times,02_try_pymp1",
      "alice,3,3,1,2",
      "bob,1,3,0,1",
      '"Zoë <b>&amp; ""co"", 1",1,2,1,0',
      "",
    ].join("\n"),
  );
});

Deno.test("gradebookCsv() follows the given exercise order and leaves missing results empty", () => {
  const gradebook = fakeGradebook();
  gradebook.students = [
    fakeStudent("line\nbreak", [fakeExercise("02_try_pymp1", [fakeCheck("exact", "passed")])]),
  ];
  equal(
    gradebookCsv(gradebook, { exercises: ["01_guess_run_times", "02_try_pymp1"] }),
    'student,score,max_score,01_guess_run_times,02_try_pymp1\n"line\nbreak",1,1,,1\n',
  );
});

Deno.test("gradebookCsv() defuses student ids a spreadsheet would run as formulas", () => {
  const gradebook = fakeGradebook();
  gradebook.students = ['=HYPERLINK("http://x.test","a")', "+1", "-2", "@SUM(A1)", "\tx", "\rx"]
    .map((id) => fakeStudent(id, []));
  // A carriage return is shown escaped: it cannot overwrite the line of a terminal showing the file.
  equal(
    gradebookCsv(gradebook, { exercises: [] }),
    [
      "student,score,max_score",
      `"'=HYPERLINK(""http://x.test"",""a"")",0,0`,
      "'+1,0,0",
      "'-2,0,0",
      "'@SUM(A1),0,0",
      "'\tx,0,0",
      "\\x0dx,0,0",
      "",
    ].join("\n"),
  );
});

Deno.test("gradebookCsv() shows ESC and BEL in a student id as visible escapes", () => {
  const gradebook = fakeGradebook();
  gradebook.students = [fakeStudent("eve\u001b[2J\u0007", [])];
  equal(
    gradebookCsv(gradebook, { exercises: [] }),
    "student,score,max_score\neve\\x1b[2J\\x07,0,0\n",
  );
});
