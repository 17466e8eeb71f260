"use strict";
// Video watching counts toward completion, in headless Chromium against a fresh `mist serve` with an
// authored course (written here: the starter course of `mist course init` plus a generated WAV video):
// a learner who plays the video to the end and passes the quiz completes the module (and, as it is the
// course's only required module, gets a certificate); a learner who seeks to the end and plays only the
// last second does not, even after passing the quiz.
//
// Needs: Chromium (`apt-get install -y chromium`, or CHROMIUM=/path), `npm ci` here, and the `mist`
// binary (MIST_BIN=/path/to/mist, or cargo to build it).
const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const { startPortal } = require("./lib/portal.js");
const { launchBrowser, newPerson, screenshots } = require("./lib/browser.js");
const { writeVideoCourse } = require("./lib/course.js");
const { answerKey } = require("./lib/quiz.js");
const flows = require("./lib/flows.js");

const SECONDS = 40; // long enough for the player to send more than one span (it cuts them at 25 s)
const RATE = 4; // playbackRate: the whole video plays in SECONDS / RATE seconds
const THRESHOLD = 90; // percent of the video to watch (mist-core DEFAULT_VIDEO_THRESHOLD)
const COURSE_TITLE = "院内情報セキュリティ研修"; // the starter course's title
const VIDEO = "main video[data-mist-video]";
const PROGRESS_API = "/api/v1/progress/video";

let course;
let portal;
let browser;

before(async () => {
  course = writeVideoCourse({ seconds: SECONDS });
  portal = await startPortal({ args: ["--courses", course.dir] });
  browser = await launchBrowser({ extraFlags: ["--autoplay-policy=no-user-gesture-required"] });
}, { timeout: 120_000 });

after(async () => {
  await browser?.close();
  await portal?.stop();
  course?.remove();
});

/** Records the player's progress posts (span and the server's answer, or the failure) on a page. */
function recordProgress(page) {
  const posts = [];
  const byRequest = new Map();
  const isProgress = (request) => request.method() === "POST" && new URL(request.url()).pathname === PROGRESS_API;
  page.on("request", (request) => {
    if (isProgress(request)) {
      let span;
      try {
        span = JSON.parse(request.postData() || "null");
      } catch {
        span = { unparsable: request.postData() };
      }
      const post = { span, status: null, failure: null };
      posts.push(post);
      byRequest.set(request, post);
    }
  });
  page.on("response", (response) => {
    const post = byRequest.get(response.request());
    if (post) {
      post.status = response.status();
    }
  });
  page.on("requestfailed", (request) => {
    const post = byRequest.get(request);
    if (post) {
      post.failure = request.failure()?.errorText || "failed";
    }
  });
  return posts;
}

function describePosts(posts) {
  return posts.length
    ? posts.map((p) => `${p.span?.from?.toFixed?.(2)}–${p.span?.to?.toFixed?.(2)} s → ${p.status ?? p.failure ?? "no answer yet"}`).join(", ")
    : "none";
}

/** Share of [0, duration] covered by the union of the spans, in percent. */
function coverage(spans, duration) {
  const clean = spans
    .map(({ from, to }) => [Math.max(0, Math.min(from, duration)), Math.max(0, Math.min(to, duration))])
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  let covered = 0;
  let current = null;
  for (const [a, b] of clean) {
    if (current && a <= current[1]) {
      current[1] = Math.max(current[1], b);
    } else {
      if (current) {
        covered += current[1] - current[0];
      }
      current = [a, b];
    }
  }
  if (current) {
    covered += current[1] - current[0];
  }
  return (100 * covered) / duration;
}

/** Waits (bounded) until the server has answered a progress post whose span reaches the end. */
async function waitForFinalSpan(posts, what, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  const reachesEnd = (p) => p.span && p.span.to >= SECONDS - 1 && (p.status !== null || p.failure);
  while (Date.now() < deadline) {
    if (posts.some(reachesEnd) && posts.every((p) => p.status !== null || p.failure)) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail(`${what}: within ${timeoutMs / 1000} s the server did not answer a progress post (${PROGRESS_API}) for a span ending at the video's end; posts: ${describePosts(posts)}`);
}

async function videoState(page) {
  return page.locator(VIDEO).evaluate((v) => ({
    currentTime: v.currentTime,
    duration: v.duration,
    paused: v.paused,
    ended: v.ended,
    readyState: v.readyState,
    networkState: v.networkState,
    playbackRate: v.playbackRate,
    error: v.error ? `code ${v.error.code}: ${v.error.message}` : null,
    src: v.currentSrc,
  }));
}

/** Waits (bounded) until the video's metadata (its duration) is loaded. */
async function waitForMetadata(page) {
  const video = page.locator(VIDEO);
  assert.equal(await video.count(), 1, "the player shows one tracked video (<video data-mist-video>)");
  try {
    await page.waitForFunction((selector) => {
      const v = document.querySelector(selector);
      return v && (v.readyState >= 1 || v.error);
    }, VIDEO, { timeout: 15_000 });
  } catch {
    assert.fail(`the video's metadata did not load within 15 s: ${JSON.stringify(await videoState(page))}`);
  }
  const state = await videoState(page);
  assert.equal(state.error, null, `Chromium could not load the video ${state.src}: ${state.error}`);
  assert.ok(Math.abs(state.duration - SECONDS) < 0.1, `the video lasts ${SECONDS} s (Chromium says ${state.duration} s)`);
}

/** Starts playback from `from` at `rate` and waits (bounded) until the video has ended. */
async function playToEnd(page, { from = 0, rate = 1 }) {
  const started = await page.locator(VIDEO).evaluate(async (v, { from, rate }) => {
    if (from > 0) {
      const seeked = new Promise((resolve, reject) => {
        v.addEventListener("seeked", resolve, { once: true });
        setTimeout(() => reject(new Error(`no "seeked" within 5 s after setting currentTime = ${from}`)), 5000);
      });
      v.currentTime = from;
      try {
        await seeked;
      } catch (error) {
        return error.message;
      }
    }
    v.playbackRate = rate;
    try {
      await v.play();
      return "playing";
    } catch (error) {
      return `${error.name}: ${error.message}`;
    }
  }, { from, rate });
  assert.equal(started, "playing", `video.play() from ${from} s at ${rate}×`);
  const timeout = ((SECONDS - from) / rate) * 1000 + 20_000;
  try {
    await page.waitForFunction((selector) => document.querySelector(selector).ended, VIDEO, { timeout, polling: 200 });
  } catch {
    assert.fail(`the video did not play to its end within ${timeout / 1000} s: ${JSON.stringify(await videoState(page))}`);
  }
}

/** Opens the player's 進捗 (progress) details; returns its summary and lines. */
async function progressPanel(page) {
  const details = page.locator("main details").filter({ has: page.locator("summary", { hasText: "進捗" }) });
  assert.equal(await details.count(), 1, "the player has a 進捗 (progress) panel");
  const summary = details.locator("summary");
  if (!(await details.evaluate((d) => d.open))) {
    await summary.click();
  }
  const lines = details.locator("li");
  await lines.first().waitFor({ state: "visible" });
  return { summary: (await summary.innerText()).trim(), lines: (await lines.allInnerTexts()).map((l) => l.trim()) };
}

/** The video line of the progress panel: its share and whether it reaches the threshold. */
function videoLine(panel) {
  const pattern = new RegExp(`^video "${course.lesson}": (\\d+) % ([≥<]) ${THRESHOLD} %$`);
  const line = panel.lines.find((l) => pattern.test(l));
  assert.ok(line, `the progress panel has a line for the video of lesson "${course.lesson}": ${JSON.stringify(panel.lines)}`);
  const [, share, sign] = pattern.exec(line);
  return { line, share: Number(share), reached: sign === "≥" };
}

/** The course section of /me: its status line, the module's line, and the certificate links. */
async function myLearning(page) {
  await page.goto("/me");
  await flows.expectNoErrorPage(page, "/me");
  const section = page.locator("main section").filter({ has: page.locator(`h2 a[href="/courses/${course.slug}"]`) });
  assert.equal(await section.count(), 1, `/me lists the course ${course.slug}: ${await page.locator("main").innerText()}`);
  const moduleLine = section.locator("li").filter({ has: page.locator(`a[href="/learn/${course.slug}/${course.module}"]`) });
  return {
    text: await page.locator("main").innerText(),
    status: (await section.locator("p").first().innerText()).trim(),
    module: (await moduleLine.innerText()).trim(),
    certificates: page.locator("main a[href^='/certificates/']"),
  };
}

test("7. video: played to the end (at 4×) it counts ≥ 90 %; with the quiz passed the module is complete and /me links a certificate", { timeout: 240_000 }, async (t) => {
  t.diagnostic(`course ${course.slug} (${course.dir}): ${course.check.trim()}`);
  const learner = await newPerson(browser, portal.url);
  const posts = recordProgress(learner.page);
  try {
    await flows.joinWithCode(learner.page, { code: portal.joinCode, email: "douga@demo-e2e.example.jp", name: "動画 視聴子" });
    await flows.studyModule(learner.page, course.slug, course.module, { lessons: 1 });
    const page = learner.page;

    // The player shows the video from the module directory, served with range requests.
    const src = await page.locator(VIDEO).getAttribute("src");
    assert.equal(src, `/media/${course.slug}/${course.module}/${course.video}`, "the video's URL");
    const attrs = await page.locator(VIDEO).evaluate((v) => ({ ...v.dataset }));
    assert.deepEqual(
      { course: attrs.course, module: attrs.module, lesson: attrs.lesson, duration: attrs.duration },
      { course: course.slug, module: course.module, lesson: course.lesson, duration: String(SECONDS) },
      "the video's data attributes name its lesson and duration",
    );
    const range = await learner.context.request.get(src, { headers: { Range: "bytes=0-43" }, timeout: 15_000 });
    assert.equal(range.status(), 206, `a range request for the video answers 206 (got ${range.status()})`);
    assert.equal(range.headers()["content-range"], `bytes 0-43/${44 + SECONDS * 8000}`, "the range answer's Content-Range");
    assert.equal((await range.body()).subarray(0, 4).toString("latin1"), "RIFF", "the range answer is the WAV's first bytes");
    t.diagnostic(`video served as ${range.headers()["content-type"]}`);

    const before = videoLine(await progressPanel(page));
    assert.deepEqual([before.share, before.reached], [0, false], `before playing, the panel says 0 % < ${THRESHOLD} %: ${before.line}`);

    await waitForMetadata(page);
    const startedAt = Date.now();
    await playToEnd(page, { rate: RATE });
    await waitForFinalSpan(posts, "after playing the video to the end");
    t.diagnostic(`played ${SECONDS} s at ${RATE}× in ${((Date.now() - startedAt) / 1000).toFixed(1)} s; progress posts: ${describePosts(posts)}`);
    assert.deepEqual(posts.filter((p) => p.status !== 204).map((p) => p.span), [], `every progress post is accepted (204): ${describePosts(posts)}`);
    assert.ok(posts.length >= 2, `a ${SECONDS} s video is reported in more than one span (at most 25 s each): ${describePosts(posts)}`);
    const sent = coverage(posts.map((p) => p.span), SECONDS);
    assert.ok(sent >= THRESHOLD, `the spans the player sent cover ≥ ${THRESHOLD} % of the video (${sent.toFixed(1)} %): ${describePosts(posts)}`);

    // The player's progress panel, on the next load of the page.
    await page.reload();
    await flows.expectNoErrorPage(page, "reloading the player");
    const watched = await progressPanel(page);
    const line = videoLine(watched);
    t.diagnostic(`progress panel after watching: ${watched.summary} — ${watched.lines.join(" | ")}`);
    assert.ok(line.reached && line.share >= THRESHOLD, `after watching to the end, the panel says ≥ ${THRESHOLD} %: ${line.line}`);
    assert.ok(watched.lines.includes("quiz not taken"), `the panel says the quiz is not taken yet: ${watched.lines.join(" | ")}`);
    assert.equal(watched.summary, "進捗", "not completed before the quiz");
    await screenshots(page, "player-video");

    // The quiz (starter quiz: macro → a; signs → a, b; report → false), passed: the module is complete.
    await flows.passQuiz(page, course.slug, course.module, { key: answerKey(course.slug, course.module, course.dir) });
    const me = await myLearning(page);
    assert.match(me.module, /✓ 修了$/, `/me marks the module ✓ 修了: ${me.module}`);
    assert.equal(me.status, "修了 — 1/1", `/me shows the course completed, 1/1:\n${me.text}`);
    assert.equal(await me.certificates.count(), 1, `/me links a certificate for the course (its only required module is done):\n${me.text}`);
    const href = await me.certificates.first().getAttribute("href");
    assert.match(href, /^\/certificates\/[^/]+\.pdf$/, "the certificate link");
    assert.match(me.text, new RegExp(`${COURSE_TITLE} \\(`), `the certificate is for ${COURSE_TITLE}`);
    const pdf = await learner.context.request.get(href, { timeout: 30_000 });
    assert.equal(pdf.status(), 200, `GET ${href}`);
    assert.equal((await pdf.body()).subarray(0, 5).toString("latin1"), "%PDF-", "the certificate is a PDF");
    await screenshots(page, "me-video-course");

    // And the player says so too.
    await page.goto(`/learn/${course.slug}/${course.module}`);
    const done = await progressPanel(page);
    assert.equal(done.summary, "進捗: 修了", `the player's panel says 修了: ${done.lines.join(" | ")}`);
    assert.ok(done.lines.some((l) => /^passed: 1\.00 ≥ 0\.80$/.test(l)), `the panel shows the passed quiz: ${done.lines.join(" | ")}`);

    assert.deepEqual(learner.context.offsite, [], "no request left 127.0.0.1");
    assert.deepEqual(page.pageErrors, [], "no script errors");
  } finally {
    await learner.context.close();
  }
});

test("8. video: seeking to the end and playing only the last second does not count; the module stays incomplete after passing the quiz", { timeout: 180_000 }, async (t) => {
  const learner = await newPerson(browser, portal.url);
  const posts = recordProgress(learner.page);
  try {
    await flows.joinWithCode(learner.page, { code: portal.joinCode, email: "tobashi@demo-e2e.example.jp", name: "早送 太郎" });
    await flows.studyModule(learner.page, course.slug, course.module, { lessons: 1 });
    const page = learner.page;
    await waitForMetadata(page);
    await playToEnd(page, { from: SECONDS - 1, rate: 1 });
    await waitForFinalSpan(posts, "after playing the last second");
    t.diagnostic(`progress posts: ${describePosts(posts)}`);
    assert.deepEqual(posts.filter((p) => p.status !== 204).map((p) => p.span), [], `every progress post is accepted (204): ${describePosts(posts)}`);
    const sent = coverage(posts.map((p) => p.span), SECONDS);
    assert.ok(sent <= 5, `the player reports only what was played, about the last second (${sent.toFixed(1)} % sent): ${describePosts(posts)}`);

    await page.reload();
    await flows.expectNoErrorPage(page, "reloading the player");
    const panel = await progressPanel(page);
    const line = videoLine(panel);
    t.diagnostic(`progress panel after skipping: ${panel.summary} — ${panel.lines.join(" | ")}`);
    assert.ok(!line.reached && line.share < THRESHOLD, `after skipping to the end, the panel says < ${THRESHOLD} %: ${line.line}`);
    assert.ok(line.share <= 5, `only about the last second counts: ${line.line}`);

    // The quiz is passed, but the video was not watched: not complete.
    await flows.passQuiz(page, course.slug, course.module, {
      key: answerKey(course.slug, course.module, course.dir),
      moduleDone: false,
    });
    const me = await myLearning(page);
    assert.doesNotMatch(me.module, /修了/, `/me does not mark the module 修了: ${me.module}`);
    assert.equal(me.status, "受講中 — 0/1", `/me shows the course in progress, 0/1:\n${me.text}`);
    assert.equal(await me.certificates.count(), 0, `/me links no certificate:\n${me.text}`);

    await page.goto(`/learn/${course.slug}/${course.module}`);
    const after = await progressPanel(page);
    assert.equal(after.summary, "進捗", `the player's panel does not say 修了: ${after.lines.join(" | ")}`);
    assert.ok(after.lines.some((l) => /^passed: 1\.00 ≥ 0\.80$/.test(l)), `the panel shows the passed quiz: ${after.lines.join(" | ")}`);
    assert.ok(!videoLine(after).reached, `the video is still < ${THRESHOLD} %: ${videoLine(after).line}`);

    assert.deepEqual(learner.context.offsite, [], "no request left 127.0.0.1");
    assert.deepEqual(page.pageErrors, [], "no script errors");
  } finally {
    await learner.context.close();
  }
});

// Positions reached while paused or seeking (dragging the slider) are not watched: player.js only
// extends a span while the video plays.
test("9. video: scrubbing the slider across a paused video (1 s steps) does not count as watching", {
  timeout: 120_000,
}, async (t) => {
  const learner = await newPerson(browser, portal.url);
  const posts = recordProgress(learner.page);
  try {
    await flows.joinWithCode(learner.page, { code: portal.joinCode, email: "scrub@demo-e2e.example.jp", name: "早送 次郎" });
    await flows.studyModule(learner.page, course.slug, course.module, { lessons: 1 });
    const page = learner.page;
    await waitForMetadata(page);
    // What dragging the native slider does: a seek to every position passed, the video staying paused.
    const scrubbed = await page.locator(VIDEO).evaluate(async (v, seconds) => {
      for (let at = 1; at <= seconds; at += 1) {
        const seeked = new Promise((resolve, reject) => {
          v.addEventListener("seeked", resolve, { once: true });
          setTimeout(() => reject(new Error(`no "seeked" within 5 s after setting currentTime = ${at}`)), 5000);
        });
        v.currentTime = at;
        try {
          await seeked;
        } catch (error) {
          return error.message;
        }
      }
      return v.paused ? "scrubbed while paused" : "the video played";
    }, SECONDS);
    assert.equal(scrubbed, "scrubbed while paused", "scrubbing the paused video");
    // Leaving the page sends what the player still holds (sendBeacon on pagehide).
    await page.goto("/");
    await page.waitForTimeout(1_000);
    await page.goto(`/learn/${course.slug}/${course.module}`);
    const line = videoLine(await progressPanel(page));
    t.diagnostic(`after scrubbing: ${line.line}; progress posts seen: ${describePosts(posts)}`);
    assert.ok(line.share <= 5, `nothing was played, so nothing counts as watched; the panel says ${line.line} (posts: ${describePosts(posts)})`);
  } finally {
    await learner.context.close();
  }
});
