"use strict";
// SCORM packages in the portal: the golf sample packages (Rustici, via Moodle's test packages), uploading
// through /manage/packages, and the player's frames: the portal page holds <iframe class="sco"> on the
// content origin (the wrapper at /attempts/{token}/launch, with window.MIST_ATTEMPT and the API adapter),
// which frames the SCO at /attempts/{token}/files/{launch url}.
const fs = require("node:fs");
const path = require("node:path");
const http = require("node:http");
const assert = require("node:assert/strict");

/** Where the golf packages are (see /work/shared/fixtures/SOURCES.md); MIST_GOLF_DIR overrides. */
const GOLF_DIR = process.env.MIST_GOLF_DIR || "/work/shared/fixtures/golf";

/**
 * The paths of golf packages by file name. When one is missing: fails with CI set, otherwise marks the
 * test skipped (with the reason) and returns null — the caller returns at once.
 */
function golfPackages(t, names) {
  const missing = names.filter((name) => !fs.existsSync(path.join(GOLF_DIR, name)));
  if (missing.length === 0) {
    return Object.fromEntries(names.map((name) => [name, path.join(GOLF_DIR, name)]));
  }
  const message =
    `golf packages missing from ${GOLF_DIR}: ${missing.join(", ")} (Moodle's mod/scorm/tests/packages, ` +
    "see /work/shared/fixtures/SOURCES.md; MIST_GOLF_DIR=/path overrides the folder)";
  if (process.env.CI) {
    throw new Error(message);
  }
  t.skip(message);
  return null;
}

/**
 * Uploads a package through the form on /manage/packages (as a signed-in administrator or manager) and
 * reads the page that answers: HTTP status, the notice (imported) or alert (rejected), and the check
 * report (summary line and findings).
 */
async function uploadPackage(page, file, { slug = "", audience = "staff" } = {}) {
  await page.goto("/manage/packages");
  const main = page.locator("main");
  assert.match(await main.locator("h1").innerText(), /SCORMパッケージの取り込み/, "the upload page");
  await page.getByLabel(/^パッケージ/).setInputFiles(file);
  if (slug) {
    await page.getByLabel(/^識別子/).fill(slug);
  }
  await page.getByLabel("対象", { exact: true }).selectOption(audience);
  const [response] = await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === "/manage/packages" && r.request().method() === "POST", { timeout: 60_000 }),
    main.getByRole("button", { name: "取り込む" }).click(),
  ]);
  await page.waitForLoadState("load");
  const text = async (locator) => ((await locator.count()) ? (await locator.first().innerText()).trim() : null);
  const reportHeading = main.locator("h2", { hasText: "チェック結果" });
  return {
    status: response.status(),
    title: await page.title(),
    notice: await text(main.getByRole("status")),
    importedHref: (await main.getByRole("status").locator("a").count())
      ? await main.getByRole("status").locator("a").first().getAttribute("href")
      : null,
    alert: await text(main.getByRole("alert")),
    hasReport: (await reportHeading.count()) === 1,
    summary: await text(main.locator("h2 + p")),
    findings: (await main.locator("ul[lang='en'] > li").allInnerTexts()).map((line) => line.trim()),
    main: (await main.innerText()).trim(),
  };
}

/** True when /courses/{slug} exists (as the signed-in person of `page`'s context). */
async function courseExists(context, slug) {
  const response = await context.request.get(`/courses/${slug}`, { timeout: 15_000, maxRedirects: 0 });
  return response.status() === 200;
}

/**
 * Accepts every dialog (the golf SCOs ask "resume?" with confirm() and report API errors with alert())
 * and records them.
 */
function recordDialogs(page) {
  const dialogs = [];
  page.on("dialog", (dialog) => {
    dialogs.push({ type: dialog.type(), message: dialog.message() });
    dialog.accept().catch(() => {});
  });
  return dialogs;
}

/** The alerts a golf SCO shows when an API call fails ("Error - Could not …"). */
function apiErrors(dialogs) {
  return dialogs.filter((d) => d.type === "alert" || /error/i.test(d.message));
}

/**
 * Records the adapter's commits (POST /api/v1/attempts/{id}/commit on the content origin) that the page
 * sends while it is open: the batch and the answer. (Requests sent while a page closes are not seen.)
 */
function recordCommits(page) {
  const commits = [];
  const byRequest = new Map();
  const isCommit = (request) => request.method() === "POST" && /\/api\/v1\/attempts\/[^/]+\/commit$/.test(new URL(request.url()).pathname);
  page.on("request", (request) => {
    if (isCommit(request)) {
      let batch;
      try {
        batch = JSON.parse(request.postData() || "null");
      } catch {
        batch = { unparsable: request.postData() };
      }
      const commit = { url: request.url(), kind: request.resourceType(), batch, status: null, failure: null };
      commits.push(commit);
      byRequest.set(request, commit);
    }
  });
  page.on("response", (response) => {
    const commit = byRequest.get(response.request());
    if (commit) {
      commit.status = response.status();
    }
  });
  page.on("requestfailed", (request) => {
    const commit = byRequest.get(request);
    if (commit) {
      commit.failure = request.failure()?.errorText || "failed";
    }
  });
  return commits;
}

function describeCommits(commits) {
  return commits.length
    ? commits.map((c) => `#${c.batch?.sequence} ${JSON.stringify(c.batch?.calls)} → ${c.status ?? c.failure ?? "no answer yet"}`).join("\n  ")
    : "none";
}

/** Waits (bounded) until a commit whose calls include `call` (e.g. "Terminate") is answered; returns it. */
async function waitForCommit(commits, call, what, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  const has = (c) => (c.batch?.calls || []).some((entry) => entry[0] === call) && (c.status !== null || c.failure);
  while (Date.now() < deadline) {
    const found = commits.find(has);
    if (found) {
      return found;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail(`${what}: no answered commit with ${call} within ${timeoutMs / 1000} s; commits:\n  ${describeCommits(commits)}`);
}

/**
 * The player's frames: `wrapper` (the content origin's launch page, holding the API) and `sco` (the
 * package's launch file inside it). Waits (bounded) until both have loaded. `launch`: the launch file's
 * path in the package (with its query, if any).
 */
async function playerFrames(page, contentUrl, launch, timeoutMs = 20_000) {
  const src = await page.locator("main iframe.sco").getAttribute("src");
  assert.ok(src, "the player has an <iframe class=\"sco\">");
  assert.ok(src.startsWith(`${contentUrl}/attempts/`) && src.endsWith("/launch"), `the SCO frame is on the content origin ${contentUrl}: ${src}`);
  const base = src.slice(0, -"launch".length);
  const deadline = Date.now() + timeoutMs;
  let wrapper;
  let sco;
  while (Date.now() < deadline) {
    wrapper = page.frames().find((f) => f.url() === src);
    sco = wrapper && wrapper.childFrames().find((f) => f.url() === `${base}files/${launch}`);
    if (sco) {
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.ok(wrapper, `the wrapper ${src} loaded within ${timeoutMs / 1000} s; frames: ${page.frames().map((f) => f.url()).join(", ")}`);
  assert.ok(sco, `the SCO ${base}files/${launch} loaded in the wrapper within ${timeoutMs / 1000} s; frames: ${page.frames().map((f) => f.url()).join(", ")}`);
  await wrapper.waitForLoadState("load");
  await sco.waitForLoadState("load");
  return { src, base, wrapper, sco };
}

/** What the wrapper was launched with (window.MIST_ATTEMPT): version, launch values, data-model values. */
async function attemptOf(wrapper) {
  return wrapper.evaluate(() => {
    const a = window.MIST_ATTEMPT;
    return { version: a.version, commitUrl: a.commitUrl, nextSequence: a.nextSequence, launch: a.launch, values: a.values };
  });
}

/**
 * A GET straight to the server, with the path exactly as given (no `..` resolution, no re-encoding, as
 * a browser would do): status and the first bytes of the body.
 */
function rawGet(origin, rawPath, timeoutMs = 10_000) {
  const url = new URL(origin);
  return new Promise((resolve, reject) => {
    const request = http.request({ host: url.hostname, port: url.port, path: rawPath, method: "GET", timeout: timeoutMs }, (response) => {
      const chunks = [];
      response.on("data", (chunk) => chunks.push(chunk));
      response.on("end", () => {
        const body = Buffer.concat(chunks);
        resolve({ status: response.statusCode, head: body.subarray(0, 64).toString("latin1"), length: body.length });
      });
    });
    request.on("timeout", () => request.destroy(new Error(`GET ${rawPath}: no answer within ${timeoutMs / 1000} s`)));
    request.on("error", reject);
    request.end();
  });
}

/** The course section of /me: its status line, each module's line, and the certificate list. */
async function myCourse(page, slug) {
  await page.goto("/me");
  const main = page.locator("main");
  const section = main.locator("section").filter({ has: page.locator(`h2 a[href="/courses/${slug}"]`) });
  const text = (await main.innerText()).trim();
  if ((await section.count()) !== 1) {
    return { listed: false, text, status: null, modules: [], certificates: [] };
  }
  return {
    listed: true,
    text,
    status: (await section.locator("p").first().innerText()).trim(),
    modules: (await section.locator("li").allInnerTexts()).map((line) => line.trim()),
    certificates: await main.locator("ul li").filter({ has: page.locator("a[href^='/certificates/']") }).evaluateAll((items) =>
      items.map((li) => ({ text: li.innerText.trim(), href: li.querySelector("a[href^='/certificates/']").getAttribute("href") })),
    ),
  };
}

/** Reloads /me until `done(course)` holds (bounded): a SCO's last commit may still be on its way. */
async function waitForMyCourse(page, slug, done, what, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  let course;
  do {
    course = await myCourse(page, slug);
    if (done(course)) {
      return course;
    }
    await page.waitForTimeout(300);
  } while (Date.now() < deadline);
  assert.fail(`${what} (within ${timeoutMs / 1000} s); /me says:\n${course.text}`);
}

module.exports = {
  GOLF_DIR,
  golfPackages,
  uploadPackage,
  courseExists,
  recordDialogs,
  apiErrors,
  recordCommits,
  describeCommits,
  waitForCommit,
  playerFrames,
  attemptOf,
  rawGet,
  myCourse,
  waitForMyCourse,
};
