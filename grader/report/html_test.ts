import { deepEqual, equal, match, ok } from "node:assert/strict";
import { classReportHtml } from "./html.ts";
import { notRunGroups } from "./_class_stats.ts";
import { studentSweepFigures } from "./svg.ts";
import { SWEEP_FIXTURE } from "./_sweep_fixture.ts";
import {
  fakeCheck,
  fakeExercise,
  fakeGradebook,
  fakeMixedGradebook,
  fakeSpeedupCheck,
} from "./_fake_results.ts";

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
    /<tr data-kind="failed"><td>01_guess_run_times<\/td><td>guesses<\/td><td class="status-failed">other failure \(see the message\)<\/td><td><b>1<\/b>: <a href="#student=bob">bob<\/a><\/td><td><\/td><td>guesses: failed<\/td>/,
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

/**
 * Where browser tests leave what they rendered (a screenshot and the page, overwritten each run):
 * `PARAKIT_TEST_ARTIFACTS`, else `.parakit/test-artifacts/` in the kit (ignored by git).
 */
const ARTIFACTS = Deno.env.get("PARAKIT_TEST_ARTIFACTS") ??
  decodeURIComponent(new URL("../../.parakit/test-artifacts", import.meta.url).pathname);

/** Runs headless Chromium on a page with the given flags; at most 60 s. */
async function chromium(dir: string, url: string, ...flags: string[]): Promise<string> {
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
      "--hide-scrollbars",
      `--user-data-dir=${dir}/profile`,
      ...flags,
      url,
    ],
    stdout: "piped",
    stderr: "piped",
    signal: controller.signal,
  }).output().finally(() => clearTimeout(timer));
  ok(output.success, new TextDecoder().decode(output.stderr));
  return new TextDecoder().decode(output.stdout);
}

Deno.test({
  name: CHROMIUM
    ? "classReportHtml() renders in headless Chromium: outlier chart, not-run group, an opened student, search (screenshot saved)"
    : "classReportHtml() renders in headless Chromium (IGNORED: chromium is not installed; " +
      "apt-get install -y chromium)",
  ignore: CHROMIUM === undefined,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "parakit_html_" });
    try {
      const page = `${dir}/report.html`;
      const html = await classReportHtml(fakeMixedGradebook(), { timing: TIMING });
      await Deno.writeTextFile(page, html);
      // The page as an instructor sees it with cyd opened: saved as the test's artifact.
      await Deno.mkdir(ARTIFACTS, { recursive: true });
      await Deno.writeTextFile(`${ARTIFACTS}/class_report.html`, html);
      const shot = `${ARTIFACTS}/class_report.png`;
      await Deno.remove(shot).catch(() => {});
      await chromium(
        dir,
        `file://${page}#student=cyd`,
        "--window-size=1280,3200",
        `--screenshot=${shot}`,
      );
      const png = await Deno.readFile(shot);
      deepEqual([...png.slice(1, 4)], [0x50, 0x4e, 0x47], "a PNG");
      equal(new DataView(png.buffer).getUint32(16), 1280, "as wide as the window");
      // The same page's DOM after its script ran.
      const dom = await chromium(dir, `file://${page}#student=cyd`, "--dump-dom");
      // The histogram: bars, the threshold rule and the outlier's mark with its count.
      const speedups = dom.slice(dom.indexOf('id="speedups"'), dom.indexOf("Pass rate per check"));
      ok(speedups.includes("role-mark"), "the chart has no marks");
      ok(speedups.includes("threshold 1.40×"));
      ok(speedups.includes("1 above 3.0× (up to 315×)"), "no outlier mark with its count");
      // The not-run group, with its reason.
      const notRun = dom.slice(dom.indexOf('<table id="not-run"'));
      ok(notRun.includes("not run: parallel_sum.ts is missing"), notRun.slice(0, 400));
      // Tablesort ran (sortable headers), the search box counted the students, cyd is open.
      const table = dom.slice(dom.indexOf('<table id="students"'));
      equal(table.match(/role="columnheader"/g)?.length, 6);
      ok(dom.includes('id="student-search"'));
      ok(dom.includes("5 of 5 students shown"), "the search script did not run");
      const detail = (student: string) => {
        const id = new RegExp(`data-student="${student}" data-detail="(detail-\\d+)"`).exec(dom)
          ?.[1];
        const at = dom.indexOf(`id="${id}"`);
        const next = dom.indexOf('<tr class="student"', at);
        return dom.slice(dom.lastIndexOf("<tr", at), next === -1 ? undefined : next);
      };
      ok(!/ hidden/.test(detail("cyd").slice(0, 120)), "cyd's row is not open");
      ok(detail("cyd").includes("speedup 315.00× (threshold 1.40×)"));
      ok(detail("cyd").includes("\\x1b[31mred"), "control characters are shown as codes");
      ok(/ hidden/.test(detail("ada").slice(0, 120)), "ada's row opened by itself");
      // ?q= filters: only dee's row stays shown.
      const searched = await chromium(
        dir,
        `file://${page}?q=parallel_sum.ts%20is%20missing`,
        "--dump-dom",
      );
      ok(searched.includes("1 of 5 students shown"), "the search did not filter");
      ok(/<tr class="student" data-student="dee"[^>]*>/.test(searched));
      ok(/<tr class="student" data-student="ada"[^>]*hidden/.test(searched), "ada is not hidden");
      // The failing checks: cyd's 315× and eve's 1.1× are two rows of one check.
      const failures = dom.slice(dom.indexOf('<table id="failures"'), dom.indexOf("<h2>Not run"));
      const speedRows = failures.split("<tr").filter((row) =>
        row.includes("faster than the serial")
      );
      deepEqual(speedRows.map((row) => /data-kind="([^"]+)"/.exec(row)?.[1]), [
        "impossible",
        "below-threshold",
      ]);
      // Following eve's link in the failure table opens eve's row, filtered out by a search or not.
      const clicked = `${dir}/clicked.html`;
      await Deno.writeTextFile(
        clicked,
        html.replace(
          "</body>",
          "<script>[...document.querySelectorAll('#failures a')]" +
            ".find((link) => link.textContent.startsWith('eve')).click();</script></body>",
        ),
      );
      const opened = await chromium(dir, `file://${clicked}?q=ada`, "--dump-dom");
      const openedRow = /<tr class="detail" id="(detail-\d+)"[^>]*>/g;
      const shown = [...opened.matchAll(openedRow)].filter((found) => !/ hidden/.test(found[0]));
      equal(shown.length, 1, "one student is open");
      ok(
        opened.includes(`data-detail="${shown[0]![1]}" data-search="eve`),
        "eve is not the one open",
      );
      ok(opened.includes("5 of 5 students shown"), "the search still hides eve");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

/** The failure table's rows: why, check, how many and which students. */
function failureRows(
  html: string,
): { kind: string; check: string; count: number; names: string }[] {
  const table = html.slice(html.indexOf('<table id="failures">'), html.indexOf("<h2>Not run"));
  return [
    ...table.matchAll(
      /<tr data-kind="([^"]+)"><td>[^<]*<\/td><td>([^<]*)<\/td><td[^>]*>[^<]*<\/td><td><b>(\d+)<\/b>: (.*?)<\/td>/g,
    ),
  ].map((found) => ({
    kind: found[1]!,
    check: found[2]!,
    count: Number(found[3]),
    names: found[4]!.replace(/<[^>]+>/g, ""),
  }));
}

Deno.test("classReportHtml() groups failures by check and reason, the most common first", async () => {
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
  deepEqual(failureRows(html).map((row) => [row.kind, row.check, row.count, row.names]), [
    ["failed", "exact", 7, "s3, s4, s5, s6, s7, s8, s9"],
    ["crashed", "exact", 3, "s0, s1, s2"],
    ["failed", "other", 1, "s0"],
  ]);
  gradebook.students.push(
    ...["a", "b", "c"].map((name) => ({ ...gradebook.students[5]!, student: name })),
  );
  const more = await classReportHtml(gradebook);
  ok(more.includes('<a href="#student=a">a</a> <details><summary>and 2 more'));
  equal(failureRows(more)[0]!.count, 10);
});

Deno.test("classReportHtml() tells an impossible speedup from a slow one on the same check; a missing file stays not run", async () => {
  // The mixed class (two at 1.9×, cyd at 315×, eve at 1.1×, dee without parallel_sum.ts), and two
  // more like cyd and three more like eve.
  const gradebook = fakeMixedGradebook();
  const like = (id: string, as: string) => ({
    ...gradebook.students.find((row) => row.student === as)!,
    student: id,
  });
  gradebook.students.push(like("cy2", "cyd"), like("cy3", "cyd"));
  gradebook.students.push(like("ev2", "eve <i>\u202e"), like("ev3", "eve <i>\u202e"));
  gradebook.students.push(like("ev4", "eve <i>\u202e"));
  const html = await classReportHtml(gradebook);
  const speed = failureRows(html).filter((row) => row.check.includes("faster than the serial"));
  deepEqual(speed.map((row) => [row.kind, row.count, row.names]), [
    ["below-threshold", 4, "eve &lt;i&gt;\\u202e, ev2, ev3, ev4"],
    ["impossible", 3, "cyd, cy2, cy3"],
  ]);
  const failures = html.slice(html.indexOf('<table id="failures">'), html.indexOf("<h2>Not run"));
  ok(failures.includes("impossible: faster than the machine allows (above 3× on 2 cores)"));
  ok(failures.includes("<td>speedup 315×</td><td>315.00× is more than 2 cores can give"));
  ok(failures.includes("below the threshold (1.40×)"));
  ok(!failures.includes('"#student=ada"'), "a pass is no failure");
  ok(!failures.includes("dee"), "dee's checks did not run: they are not failures");
  const notRun = html.slice(html.indexOf('<table id="not-run">'), html.indexOf("<h2>Students"));
  ok(notRun.includes("not run: parallel_sum.ts is missing"));
  ok(notRun.includes('<b>1</b>: <a href="#student=dee">dee</a>'));
});

Deno.test("classReportHtml() plots speedups up to the impossible bound and counts the outliers", async () => {
  const html = await classReportHtml(fakeMixedGradebook());
  const chart = html.slice(html.indexOf('id="speedups"'), html.indexOf("</figure>"));
  // Bars only up to 1.5 × 2 cores: the two students at 1.9× share a bar, 1.1× has its own.
  const bars = [
    ...chart.matchAll(/aria-label="speedup[^"]*: ([\d.]+) – ([\d.]+); students: (\d+)"/g),
  ]
    .map((found) => [Number(found[1]), Number(found[2]), Number(found[3])])
    .sort((a, b) => a[0]! - b[0]!);
  deepEqual(bars, [[1.1, 1.2, 1], [1.9, 2, 2]]);
  ok(chart.includes("1 above 3.0× (up to 315×)"), "the outlier's mark and count");
  ok(!/>(?:[4-9]|\d{2,})(?:\.\d)?<\/text>/.test(chart), "no axis label past the bound");
  ok(chart.includes("threshold 1.40×"));
  ok(html.includes("1 above 3× (more than 2 cores can give: the work was skipped)"));
});

Deno.test("classReportHtml() reports checks whose file is missing as not run, apart from real failures", async () => {
  const gradebook = fakeMixedGradebook();
  deepEqual(notRunGroups(gradebook).map((group) => [group.reason, group.students]), [
    ["parallel_sum.ts is missing", ["dee"]],
  ]);
  const html = await classReportHtml(gradebook);
  const failures = html.slice(html.indexOf('<table id="failures">'), html.indexOf("<h2>Not run"));
  ok(!failures.includes("dee"), "dee's checks did not run: they are not failures");
  match(failures, /The pool ran 0 task\(s\)/);
  const notRun = html.slice(html.indexOf('<table id="not-run">'), html.indexOf("<h2>Students"));
  ok(notRun.includes("not run: parallel_sum.ts is missing"));
  ok(notRun.includes("parallelSum: the work runs on the pool&#39;s workers"));
  ok(notRun.includes('<b>1</b>: <a href="#student=dee">dee</a>'));
  ok(!notRun.includes("The pool ran"));
});

Deno.test("notRunGroups() blames a check that did not run on the file its earlier check lacked", () => {
  const missing = (file: string) => `${file} is missing or could not be loaded (Module not found)`;
  const gradebook = fakeMixedGradebook();
  gradebook.students = [{
    student: "fay",
    score: 1,
    maxScore: 4,
    exercises: [fakeExercise("03_explore_structures", [
      fakeCheck("counter", "passed"),
      fakeCheck("pipeline", "error", { message: missing("pipeline.ts") }),
      fakeCheck("primes", "error", { message: missing("prime_count.ts") }),
      fakeCheck("primes fast", "failed", { message: 'Not run: "primes" must pass first' }),
      fakeCheck("other fast", "failed", { message: 'Not run: "counter 2" must pass first' }),
    ])],
  }];
  deepEqual(notRunGroups(gradebook).map((group) => [group.reason, group.checks]), [
    ["pipeline.ts is missing", ["pipeline"]],
    ["prime_count.ts is missing", ["primes", "primes fast"]],
    ['"counter 2" must pass first', ["other fast"]],
  ]);
});

Deno.test("classReportHtml() opens each student onto their checks, measurements and capped output, escaped", async () => {
  const gradebook = fakeMixedGradebook();
  const long = "x".repeat(5000);
  gradebook.students[0]!.exercises[1]!.output = long;
  const html = await classReportHtml(gradebook);
  equal(html.match(/<tr class="student"/g)?.length, gradebook.students.length);
  equal(
    html.match(/<tr class="detail" id="detail-\d+" data-sort-method="none" hidden>/g)?.length,
    5,
  );
  ok(html.includes("speedup 1.90× (threshold 1.40×)"));
  ok(html.includes("The pool ran 0 task(s) and 2 of its 2 workers did nothing"));
  ok(html.includes("[... 1000 more characters in the student&#39;s results.json]"));
  ok(!html.includes("x".repeat(4001)));
  // Student strings: HTML escaped, control and bidirectional characters shown as codes.
  ok(html.includes("\\x1b[31mred\\x1b[0m &lt;img src=x onerror=alert(1)&gt;\\x00"));
  ok(html.includes('data-student="eve &lt;i&gt;\\u202e"'));
  // deno-lint-ignore no-control-regex
  ok(!/[\u0000\u001b\u202e]/.test(html), "a raw control character reached the page");
  ok(!html.includes("<img src=x"));
  ok(html.includes('<input type="search" id="student-search"'));
});

Deno.test("classReportHtml() treats student ids named like Object's keys as ids, and escapes control characters in a student's sweep figure", async () => {
  const gradebook = fakeGradebook();
  gradebook.students[0]!.student = "constructor";
  gradebook.students[1]!.student = "__proto__";
  gradebook.students[2]!.student = "<img src=x onerror=alert(1)>\u001b[2J\u009b";
  gradebook.students[2]!.exercises[1]!.sweep = SWEEP_FIXTURE;
  const figures = await studentSweepFigures(gradebook);
  deepEqual(Object.keys(figures), [gradebook.students[2]!.student]);
  const html = await classReportHtml(gradebook, { studentFigures: figures });
  ok(!html.includes("native code"), "constructor got Object's source as its figure");
  ok(!html.includes("[object Object]"), "__proto__ got Object.prototype as its figure");
  ok(!html.includes("<img src=x"));
  ok(!html.includes("\u001b") && !html.includes("\u009b"));
  // The honest figure is still there, its title escaped.
  ok(html.includes("&lt;img src=x onerror=alert(1)&gt;\\x1b[2J\\x9b: 02_try_pymp1"));
});
