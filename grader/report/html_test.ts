import { equal, match, ok } from "node:assert/strict";
import { classReportHtml } from "./html.ts";
import { fakeCheck, fakeExercise, fakeGradebook, fakeSpeedupCheck } from "./_fake_results.ts";

const TIMING = {
  totalSeconds: 100,
  correctnessSeconds: 60,
  timedSeconds: 30,
  overheadSeconds: 10,
  graded: 3,
  reused: 1,
};

Deno.test("classReportHtml() is self-contained: no external source, a CSP that forbids fetches", async () => {
  const html = await classReportHtml(fakeGradebook(), { timing: TIMING });
  ok(html.includes("default-src 'none'"));
  equal(html.match(/\s(src|href)\s*=\s*["']?(https?:)?\/\//gi), null);
  equal(html.match(/<link\b/gi), null);
  equal(html.match(/@import/gi), null);
});

Deno.test("classReportHtml() escapes student names and messages", async () => {
  const gradebook = fakeGradebook();
  gradebook.students[2]!.exercises[1]!.checks[0]!.message = "<script>alert(1)</script>";
  const html = await classReportHtml(gradebook);
  ok(html.includes("Zoë &lt;b&gt;&amp;amp; &quot;co&quot;, 1"));
  ok(!html.includes("<b>&amp;"));
  ok(!html.includes("<script>alert(1)"));
});

Deno.test("classReportHtml() shows rates, the speedup chart with its threshold, failures and timing", async () => {
  const html = await classReportHtml(fakeGradebook(), { timing: TIMING });
  match(html, /<td>01_guess_run_times<\/td><td class="num">2 \/ 3<\/td>/);
  match(html, /<td>02_try_pymp1<\/td><td>exact<\/td><td class="num">2 \/ 3<\/td>/);
  const speedups = html.slice(html.indexOf('id="speedups"'));
  ok(speedups.startsWith('id="speedups"><figure class="chart"><svg'), speedups.slice(0, 80));
  ok(speedups.includes("threshold 1.50×"));
  ok(html.includes("2 measured, 1 at or above the threshold (1.50×)"));
  match(
    html,
    /<td>01_guess_run_times<\/td><td>guesses<\/td><td class="status-failed">failed<\/td><td><b>1<\/b>: bob<\/td><td>guesses: failed<\/td>/,
  );
  ok(html.includes("Batch: 1.7 min for 3 graded (33.3 s each) and 1 reused"));
  ok(html.includes("timed runs 30.0 s"));
});

Deno.test("classReportHtml() says so when no speedup was measured and when nothing failed", async () => {
  const gradebook = fakeGradebook();
  gradebook.students = gradebook.students.slice(0, 1).map((row) => ({
    ...row,
    exercises: [fakeExercise("01_guess_run_times", [fakeCheck("guesses", "passed")])],
  }));
  const html = await classReportHtml(gradebook);
  ok(html.includes('<p id="speedups">No speedup was measured in this batch.</p>'));
  ok(html.includes('<p id="failures">No check failed.</p>'));
});

Deno.test("classReportHtml() draws one chart per timed check", async () => {
  const gradebook = fakeGradebook();
  gradebook.students[0]!.exercises.push(
    fakeExercise("03_explore_structures", [{ ...fakeSpeedupCheck(1.7), name: "countPrimes" }]),
  );
  const html = await classReportHtml(gradebook);
  equal(html.match(/<figure class="chart"><svg/g)?.length, 2);
});

const CHROMIUM = findChromium();

function findChromium(): string | undefined {
  const candidates = [Deno.env.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"];
  for (const candidate of candidates) {
    if (!candidate) continue;
    try {
      const { success } = new Deno.Command(candidate, {
        args: ["--version"],
        stdout: "null",
        stderr: "null",
      })
        .outputSync();
      if (success) return candidate;
    } catch {
      // not installed under this name
    }
  }
  return undefined;
}

Deno.test({
  name: CHROMIUM
    ? "classReportHtml() renders in headless Chromium: chart and sortable table in the DOM"
    : "classReportHtml() renders in headless Chromium (IGNORED: chromium is not installed; " +
      "apt-get install -y chromium)",
  ignore: CHROMIUM === undefined,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "parakit_html_" });
    try {
      const page = `${dir}/report.html`;
      await Deno.writeTextFile(page, await classReportHtml(fakeGradebook(), { timing: TIMING }));
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), 60_000);
      const output = await new Deno.Command(CHROMIUM!, {
        args: [
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-quic",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          `--user-data-dir=${dir}/profile`,
          "--dump-dom",
          `file://${page}`,
        ],
        stdout: "piped",
        stderr: "piped",
        signal: controller.signal,
      }).output().finally(() => clearTimeout(timer));
      const dom = new TextDecoder().decode(output.stdout);
      ok(output.success, new TextDecoder().decode(output.stderr));
      // The chart: an SVG inside the speedups section, with bars (Vega's rect marks) and the rule.
      const speedups = dom.slice(dom.indexOf('id="speedups"'));
      ok(speedups.includes("<svg"), "no chart in the rendered page");
      ok(speedups.includes("role-mark"), "the chart has no marks");
      // The table: every student's row, and headers that tablesort made sortable (it ran).
      const table = dom.slice(dom.indexOf('<table id="students"'), dom.lastIndexOf("</table>"));
      equal(table.match(/<tr>/g)?.length, 4);
      equal(table.match(/role="columnheader"/g)?.length, 6);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("classReportHtml() groups failures by check and status, the most common first", async () => {
  const gradebook = fakeGradebook();
  gradebook.students = Array.from({ length: 10 }, (_, i) => ({
    student: `s${i}`,
    score: 0,
    maxScore: 2,
    exercises: [
      fakeExercise("02_try_pymp1", [
        fakeCheck("exact", i < 3 ? "timeout" : "failed"),
        fakeCheck("other", i === 0 ? "failed" : "passed"),
      ]),
    ],
  }));
  const html = await classReportHtml(gradebook);
  const failures = html.slice(html.indexOf('<table id="failures">'));
  const rows = failures.slice(0, failures.indexOf("</table>")).split("<tr>").slice(2);
  equal(rows.length, 3);
  ok(rows[0]!.includes("<b>7</b>: s3, s4, s5, s6, s7, s8, s9"), rows[0]!);
  ok(rows[1]!.includes("<b>3</b>: s0, s1, s2"), rows[1]!);
  ok(rows[2]!.includes("<td>other</td>"), rows[2]!);
  gradebook.students.push(
    ...["a", "b", "c"].map((name) => ({ ...gradebook.students[5]!, student: name })),
  );
  const more = await classReportHtml(gradebook);
  ok(more.includes("<b>10</b>: s3, s4, s5, s6, s7, s8, s9, a <details><summary>and 2 more"));
});
