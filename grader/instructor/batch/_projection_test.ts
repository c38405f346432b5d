import { equal, match, ok, throws } from "node:assert/strict";
import { projectionLine } from "./_projection.ts";

Deno.test("projectionLine() gives the rate and the class's time on this machine", () => {
  const line = projectionLine({ graded: 8, totalSeconds: 74.6 }, 2)!;
  match(line, /^6\.4 submissions a minute \(8 in 74\.6 s\): 300 students ≈ 47 min/);
  ok(line.endsWith("on this machine (2 cores)"), line);
  equal(
    projectionLine({ graded: 6, totalSeconds: 30 }, 1, { classSize: 40 }),
    "12.0 submissions a minute (6 in 30.0 s): 40 students ≈ 3 min on this machine (1 core)",
  );
  match(projectionLine({ graded: 100, totalSeconds: 1 }, 2)!, /300 students ≈ < 1 min/);
});

Deno.test("projectionLine() says when one machine is not enough and where to grade instead", () => {
  // The figures: 9.3 s a submission, 300 students in over 80 minutes.
  const line = projectionLine({ graded: 8, totalSeconds: 8 * 9.3 }, 2)!;
  match(line, /300 students ≈ 47 min/);
  const slow = projectionLine({ graded: 8, totalSeconds: 8 * 17 }, 2)!;
  match(slow, /300 students ≈ 85 min on this machine \(2 cores\): more than 60 min/);
  match(slow, /one machine is not enough/);
  match(slow, /deno task gradescope OUT\.zip/);
  match(slow, /GitHub Classroom/);
  match(projectionLine({ graded: 1, totalSeconds: 60 }, 2, { limitMinutes: 600 })!, /≈ 5\.0 h/);
  ok(
    !projectionLine({ graded: 8, totalSeconds: 8 * 17 }, 2, { limitMinutes: 90 })!.includes(
      "not enough",
    ),
  );
});

Deno.test("projectionLine() projects nothing from a batch that graded nothing, and rejects bad options", () => {
  equal(projectionLine({ graded: 0, totalSeconds: 3 }, 2), undefined);
  equal(projectionLine({ graded: 4, totalSeconds: 0 }, 2), undefined);
  throws(() => projectionLine({ graded: 1, totalSeconds: 1 }, 2, { classSize: 0 }), RangeError);
  throws(() => projectionLine({ graded: 1, totalSeconds: 1 }, 2, { classSize: 2.5 }), RangeError);
  throws(() => projectionLine({ graded: 1, totalSeconds: 1 }, 2, { limitMinutes: 0 }), RangeError);
});
