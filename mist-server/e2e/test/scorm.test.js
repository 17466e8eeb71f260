"use strict";
// Hosted SCORM packages, in headless Chromium against a fresh `mist serve` (portal and content origin
// on 127.0.0.1, each on its own port), with the golf sample packages (Rustici, as Moodle's
// mod/scorm/tests/packages ship them; /work/shared/fixtures/golf, or MIST_GOLF_DIR):
// - singlesco_scorm12.zip: SCORM 1.2, one SCO — the content-packaging example: its launch page is a
//   placeholder ("Not implemented yet") that makes no API call. It is uploaded; the run-time tests play
// - singlescobasic.zip: SCORM 1.2, one SCO, "run-time basic calls" (bookmarking, status, score, time);
// - RuntimeBasicCalls_SCORM20043rdEdition.zip: SCORM 2004 3rd Edition, the same SCO for 2004, with a
//   little IMS Simple Sequencing (delivery controls, choice/flow);
// - RuntimeMinimumCalls_SCORM12.zip: SCORM 1.2, 18 SCOs that only Initialize and Finish;
// - badscorm.zip: its manifest is in a folder, not at the root: rejected.
// Without the packages the tests are skipped with a message (they fail when CI is set).
//
// Needs: Chromium (`apt-get install -y chromium`, or CHROMIUM=/path), `npm ci` here, and the `mist`
// binary (MIST_BIN=/path/to/mist, or cargo to build it).
const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { startPortal } = require("./lib/portal.js");
const { launchBrowser, newPerson, screenshots, phoneOverflow, DESKTOP, PHONE } = require("./lib/browser.js");
const { SHOTS_DIR } = require("./lib/env.js");
const { axeViolations, describe, blocking } = require("./lib/axe.js");
const flows = require("./lib/flows.js");
const scorm = require("./lib/scorm.js");
const golf = require("./lib/golf.js");

/** The packages, by what the tests call them. `slug: null`: uploaded without one (named from the file). */
const PACKAGES = {
  cp12: {
    file: "singlesco_scorm12.zip",
    slug: null,
    course: "singlesco-scorm12",
    title: "Golf Explained - CP Single SCO",
    version: "1.2",
    scos: 1,
  },
  basic12: {
    file: "singlescobasic.zip",
    slug: "golf-basic-12",
    course: "golf-basic-12",
    title: "Golf Explained - Run-time Basic Calls",
    version: "1.2",
    scos: 1,
  },
  basic2004: {
    file: "RuntimeBasicCalls_SCORM20043rdEdition.zip",
    slug: "golf-2004",
    course: "golf-2004",
    title: "Golf Explained - Run-time Basic Calls",
    version: "2004 3rd Edition",
    scos: 1,
  },
  multi12: {
    file: "RuntimeMinimumCalls_SCORM12.zip",
    slug: "golf-multi-12",
    course: "golf-multi-12",
    title: "Golf Explained - Minimum Run-time Calls",
    version: "1.2",
    scos: 18,
  },
};
const BAD = "badscorm.zip";
const LAUNCH = "shared/launchpage.html"; // the golf run-time SCOs' launch file
const RESUME_QUESTION = "Would you like to resume from where you previously left off?";
// After a tab closes, its last batch (Finish's keepalive fetch, the adapter's page-hide beacon) is
// still on its way and Playwright does not see requests of a closing page. A launch that starts before
// the batch is stored starts from the older state and, being the newest launch, hides the batch from
// every later launch (reported: see test "SCORM 5c"), so the tests wait this long before launching again.
const LANDING_MS = 3_000;

let portal;
let browser;
let adminPromise;

before(async () => {
  portal = await startPortal();
  browser = await launchBrowser();
}, { timeout: 120_000 });

after(async () => {
  if (adminPromise) {
    await (await adminPromise.catch(() => null))?.context.close();
  }
  await browser?.close();
  await portal?.stop();
});

/** The administrator, signed in with the one-time link (the first test to need them does it). */
function admin() {
  adminPromise ??= (async () => {
    const person = await newPerson(browser, portal.url);
    await flows.useSignInLink(person.page, portal.adminLink);
    await flows.setPassword(person.page);
    return person;
  })();
  return adminPromise;
}

/**
 * The golf packages of `keys` as courses: uploaded by test 1, or here (through the same form) when a
 * test runs alone. Returns false when the packages are missing (the test was marked skipped).
 */
async function ensureCourses(t, keys) {
  const files = scorm.golfPackages(t, keys.map((key) => PACKAGES[key].file));
  if (!files) {
    return false;
  }
  const { page, context } = await admin();
  for (const key of keys) {
    const p = PACKAGES[key];
    if (!(await scorm.courseExists(context, p.course))) {
      const result = await scorm.uploadPackage(page, files[p.file], { slug: p.slug || "" });
      assert.equal(result.status, 200, `uploading ${p.file}: ${result.main}`);
    }
  }
  return true;
}

/** A learner of the demo hospital (sign-up with its code) who may reach the content origin. */
async function newLearner(tag) {
  const person = await newPerson(browser, portal.url, { allow: [portal.contentUrl] });
  person.dialogs = scorm.recordDialogs(person.page);
  await flows.joinWithCode(person.page, { code: portal.joinCode, email: `${tag}@golf-e2e.example.jp`, name: `ゴルフ ${tag}` });
  return person;
}

/** From the course page: the player links of its modules ("学習する"), in order. */
async function moduleLinks(page, course) {
  await page.goto(`/courses/${course}`);
  await flows.expectNoErrorPage(page, `the course page of ${course}`);
  return page.locator("main ol > li").getByRole("link", { name: "学習する" }).evaluateAll((links) => links.map((a) => a.getAttribute("href")));
}

/** Opens the course's first module in the player the way a learner does; returns its path. */
async function openFirstModule(page, course) {
  const links = await moduleLinks(page, course);
  assert.ok(links.length > 0, `the course page of ${course} links its modules to the player`);
  await page.locator("main ol > li").first().getByRole("link", { name: "学習する" }).click();
  await flows.expectPath(page, links[0], "the study link");
  await flows.expectNoErrorPage(page, "the SCORM player");
  return links[0];
}

/** Closes the tab the way a person does (beforeunload, pagehide and unload run) and waits for it. */
async function closeTab(page) {
  const closed = page.waitForEvent("close", { timeout: 15_000 });
  await page.close({ runBeforeUnload: true });
  await closed;
  await new Promise((resolve) => setTimeout(resolve, LANDING_MS));
}

/** A CMITimespan (HHHH:MM:SS.SS) in seconds. */
function timespanSeconds(value) {
  const match = /^(\d{2,4}):(\d{2}):(\d{2}(?:\.\d{1,2})?)$/.exec(value);
  assert.ok(match, `a CMITimespan: ${value}`);
  return Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]);
}

/**
 * Full-page PNGs of a player page at 1280 and 375 px. Chromium does not paint a cross-origin frame
 * that is off screen, so the SCO frame is scrolled into view first (else it is captured blank).
 */
async function playerShots(page, name) {
  fs.mkdirSync(SHOTS_DIR, { recursive: true });
  const before = page.viewportSize();
  for (const [label, size] of [["desktop", DESKTOP], ["phone", PHONE]]) {
    await page.setViewportSize(size);
    await page.locator("main iframe.sco").scrollIntoViewIfNeeded();
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(SHOTS_DIR, `${name}-${label}-${size.width}.png`), fullPage: true });
  }
  await page.setViewportSize(before);
}

function noApiErrors(dialogs, what) {
  assert.deepEqual(scorm.apiErrors(dialogs), [], `${what}: the SCO reported no API error (alerts): ${JSON.stringify(dialogs)}`);
}

test("SCORM 1. upload: the administrator imports the golf 1.2 and 2004 packages through /manage/packages, sees each check report, finds the courses in the catalogue; badscorm.zip is refused (422) with its reason", { timeout: 240_000 }, async (t) => {
  const files = scorm.golfPackages(t, [...Object.values(PACKAGES).map((p) => p.file), BAD]);
  if (!files) {
    return;
  }
  const { page } = await admin();
  for (const p of Object.values(PACKAGES)) {
    const result = await scorm.uploadPackage(page, files[p.file], { slug: p.slug || "" });
    t.diagnostic(`${p.file}: ${result.status} — ${result.notice} — ${result.summary} — ${result.findings.join(" | ")}`);
    assert.equal(result.status, 200, `uploading ${p.file} answers 200:\n${result.main}`);
    assert.equal(result.alert, null, `no rejection for ${p.file}: ${result.alert}`);
    assert.equal(result.notice, `取り込みました: ${p.course}`, `the notice names the new course (${p.slug ? "the slug given" : "a slug from the file name"})`);
    assert.equal(result.importedHref, `/courses/${p.course}`, "the notice links the course");
    assert.ok(result.hasReport, `the page shows the check report (チェック結果):\n${result.main}`);
    assert.equal(result.summary, `SCORM ${p.version} · ${p.title} · SCO ${p.scos} · assets 0`, "the report's summary line");
    assert.deepEqual(result.findings, ["指摘事項はありません。"], "the golf packages have no findings");
  }
  await screenshots(page, "scorm-upload-report");

  // The catalogue lists every imported course with its SCOs as modules.
  await page.goto("/");
  for (const p of Object.values(PACKAGES)) {
    const section = page.locator(`main section[aria-labelledby="course-${p.course}"]`);
    assert.equal(await section.count(), 1, `the catalogue lists ${p.course}`);
    assert.equal((await section.locator("h2").innerText()).trim(), p.title, `the catalogue shows the title of ${p.course}`);
    assert.equal(await section.locator("h2 a").getAttribute("href"), `/courses/${p.course}`);
    const modules = await section.locator("ul.cards > li > a").allInnerTexts();
    assert.equal(modules.length, p.scos, `${p.course}: one module per SCO: ${modules.join(" / ")}`);
  }
  const multi = await page.locator(`main section[aria-labelledby="course-golf-multi-12"] ul.cards > li > a`).allInnerTexts();
  assert.deepEqual([multi[0], multi[1], multi[17]], ["How to Play", "Par?", "Having Fun Quiz"], "the multi-SCO course keeps the manifest's order");

  // A package whose manifest is not at the root is refused, with the reason and a hint.
  const bad = await scorm.uploadPackage(page, files[BAD], { slug: "badscorm" });
  t.diagnostic(`${BAD}: ${bad.status} — ${bad.alert} — ${bad.findings.join(" | ")}`);
  assert.equal(bad.status, 422, `${BAD} is answered 422:\n${bad.main}`);
  assert.equal(bad.alert, "このパッケージは取り込めません。", "the page says the package cannot be imported");
  assert.equal(bad.notice, null, "no import notice");
  assert.ok(bad.hasReport, "the rejection shows the check report");
  assert.equal(bad.findings.length, 1, `one finding: ${bad.findings.join(" | ")}`);
  assert.match(bad.findings[0], /^error \[package\.manifest_nested\] badscorm\/imsmanifest\.xml — imsmanifest\.xml is in the folder badscorm\/, not at the root of the package/, "the reason");
  assert.match(bad.findings[0], /zip the contents of badscorm\/, not the folder itself/, "the hint");
  await screenshots(page, "scorm-upload-rejected");
  assert.equal(await scorm.courseExists((await admin()).context, "badscorm"), false, "the refused package is not a course");
  await page.goto("/");
  assert.equal(await page.locator('main a[href="/courses/badscorm"]').count(), 0, "nor in the catalogue");

  // Learners cannot upload.
  const learner = await newPerson(browser, portal.url);
  try {
    await flows.joinWithCode(learner.page, { code: portal.joinCode, email: "no-upload@golf-e2e.example.jp", name: "取込 不可" });
    const response = await learner.page.goto("/manage/packages");
    assert.equal(response.status(), 403, "a learner's GET /manage/packages is refused");
  } finally {
    await learner.context.close();
  }
});

// Known, reported bug: nothing in the interface links to /manage/packages (no template has the
// address); administrators and managers must know it (test 1 types it).
test("SCORM 1b. upload: the administrator's pages link to the package upload page", {
  timeout: 60_000,
}, async () => {
  const { page } = await admin();
  await page.goto("/admin");
  await flows.expectNoErrorPage(page, "/admin");
  const links = await page.locator('a[href="/manage/packages"]').count();
  assert.ok(links > 0, `/admin (or the navigation) links to /manage/packages: ${links} link(s)`);
});

test("SCORM 2. single-SCO 1.2 (golf run-time basic calls): the SCO runs on the content origin; the learner pages through it, closes the tab mid-SCO; the calls land; relaunched, it resumes where the learner left off", { timeout: 180_000 }, async (t) => {
  if (!(await ensureCourses(t, ["cp12", "basic12"]))) {
    return;
  }
  const learner = await newLearner("tab-closer");
  const { context } = learner;
  try {
    // The content-packaging example cannot be played for run-time data: its SCO is a placeholder.
    let page = learner.page;
    await openFirstModule(page, PACKAGES.cp12.course);
    const placeholder = await scorm.playerFrames(page, portal.contentUrl, LAUNCH);
    const heading = (await placeholder.sco.locator("h1").innerText()).trim();
    t.diagnostic(`${PACKAGES.cp12.file} plays its launch page, a placeholder: "${heading}" (no API calls), so the run-time is tested with ${PACKAGES.basic12.file}`);
    assert.equal(heading, "Not implemented yet", "singlesco_scorm12's SCO is the placeholder page the package ships");

    // The run-time example.
    const href = await openFirstModule(page, PACKAGES.basic12.course);
    const first = await scorm.playerFrames(page, portal.contentUrl, LAUNCH);
    assert.equal(await page.evaluate(() => typeof window.API), "undefined", "the portal page itself has no SCORM API");
    const api = await first.wrapper.evaluate(() => ({
      origin: window.location.origin,
      api: typeof window.API,
      methods: ["LMSInitialize", "LMSFinish", "LMSGetValue", "LMSSetValue", "LMSCommit", "LMSGetLastError"].filter((m) => typeof window.API?.[m] === "function"),
      api2004: typeof window.API_1484_11,
    }));
    assert.equal(api.origin, portal.contentUrl, "the wrapper is on the content origin");
    assert.equal(api.api, "object", "the wrapper frame has window.API (SCORM 1.2)");
    assert.equal(api.methods.length, 6, `window.API has the 1.2 methods: ${api.methods.join(", ")}`);
    assert.equal(api.api2004, "undefined", "and no 2004 API");
    assert.equal(new URL(first.sco.url()).origin, portal.contentUrl, "the SCO is on the content origin");
    const launched = await scorm.attemptOf(first.wrapper);
    assert.equal(launched.version, "1.2");
    assert.equal(launched.launch.entry, "ab-initio", "a first launch is ab-initio");
    assert.equal(launched.values["cmi.core.lesson_location"], "", "no bookmark yet");
    assert.equal(launched.values["cmi.core.student_name"], "ゴルフ tab-closer", "the learner's name");

    // The SCO starts: Initialize, status incomplete, the first page.
    const pages = await golf.pages(first.sco);
    assert.equal(pages.length, 16, `the 1.2 SCO has 16 pages: ${pages.join(", ")}`);
    assert.equal(await golf.ready(first.sco), pages[0], "the SCO shows its first page");
    const status = () => first.wrapper.evaluate(() => [window.API.LMSGetValue("cmi.core.lesson_status"), window.API.LMSGetValue("cmi.core.lesson_location")]);
    assert.deepEqual(await status(), ["incomplete", "0"], "the SCO set lesson_status and its bookmark");

    // The learner reads on (a moment per page): "Next ->" three times.
    for (let i = 1; i <= 3; i += 1) {
      await page.waitForTimeout(500);
      assert.equal(await golf.next(first.sco), pages[i], `"Next ->" shows page ${i}`);
    }
    assert.deepEqual(await status(), ["incomplete", "3"], "the bookmark follows the learner");
    assert.equal(await golf.previous(first.sco), pages[2], `"<- Previous" goes back`);
    assert.equal(await golf.next(first.sco), pages[3]);

    // … and closes the tab in the middle of the SCO.
    await closeTab(page);

    // Relaunched: the page-hide data is there and the SCO resumes.
    page = await context.newPage();
    const dialogs = scorm.recordDialogs(page);
    await page.goto(href);
    await flows.expectNoErrorPage(page, "relaunching the SCO");
    const second = await scorm.playerFrames(page, portal.contentUrl, LAUNCH);
    assert.notEqual(second.src, first.src, "a new launch has its own token");
    const relaunched = await scorm.attemptOf(second.wrapper);
    const values = relaunched.values;
    t.diagnostic(`after closing the tab: entry ${relaunched.launch.entry}, lesson_location "${values["cmi.core.lesson_location"]}", lesson_status ${values["cmi.core.lesson_status"]}, total_time ${values["cmi.core.total_time"]}, suspend_data "${values["cmi.suspend_data"]}"`);
    assert.equal(values["cmi.core.lesson_location"], "3", "the bookmark the SCO set before the tab closed was stored");
    assert.equal(values["cmi.core.lesson_status"], "incomplete", "the status the SCO set was stored");
    // The golf SCO sets cmi.core.exit = "suspend" on beforeunload/unload (unless at the end), so the
    // next launch resumes.
    assert.equal(relaunched.launch.entry, "resume", "the SCO suspended on unload: the launch resumes");
    assert.equal(values["cmi.core.entry"], "resume", "cmi.core.entry says resume");
    assert.ok(timespanSeconds(values["cmi.core.total_time"]) > 0, `the session time was added to total_time: ${values["cmi.core.total_time"]}`);
    assert.equal(values["cmi.suspend_data"], "", "the golf SCO sets no suspend_data (test 2b covers it)");

    // The SCO asks whether to resume (confirm, accepted) and opens the page the learner left.
    assert.equal(await golf.ready(second.sco), pages[3], "the SCO resumes at the page the learner left");
    assert.deepEqual(dialogs.map((d) => `${d.type}: ${d.message}`), [`confirm: ${RESUME_QUESTION}`], "the SCO asked to resume");
    noApiErrors([...learner.dialogs, ...dialogs], "both launches");
    assert.deepEqual(context.offsite, [], "no request left 127.0.0.1");
  } finally {
    await context.close();
  }
});

test("SCORM 2b. page hide: for a SCO that never calls LMSFinish, the adapter's page-hide beacon alone brings lesson_location and suspend_data to the server", { timeout: 180_000 }, async (t) => {
  if (!(await ensureCourses(t, ["basic12"]))) {
    return;
  }
  const learner = await newLearner("beacon");
  const { context } = learner;
  const commits = scorm.recordCommits(learner.page);
  try {
    let page = learner.page;
    const href = await openFirstModule(page, PACKAGES.basic12.course);
    const { sco } = await scorm.playerFrames(page, portal.contentUrl, LAUNCH);
    const pages = await golf.pages(sco);
    await golf.ready(sco);
    // Made into a SCO that keeps its data in suspend_data and does not finish when its page goes away:
    // its unload handlers (Finish) are removed, so only the adapter's pagehide/visibilitychange
    // beacon can carry the calls.
    const suspendData = "seen=0,1,2;quiz=none";
    await sco.evaluate((data) => {
      window.onbeforeunload = null;
      window.onunload = null;
      ScormProcessSetValue("cmi.suspend_data", data); // eslint-disable-line no-undef
    }, suspendData);
    assert.equal(await golf.next(sco), pages[1]);
    assert.equal(await golf.next(sco), pages[2]);
    await page.waitForTimeout(500);
    assert.deepEqual(commits, [], "nothing was committed while the SCO ran (no Commit, no Finish)");
    await closeTab(page);

    page = await context.newPage();
    const dialogs = scorm.recordDialogs(page);
    await page.goto(href);
    const again = await scorm.playerFrames(page, portal.contentUrl, LAUNCH);
    const { launch, values } = await scorm.attemptOf(again.wrapper);
    t.diagnostic(`after the beacon: entry "${launch.entry}", lesson_location "${values["cmi.core.lesson_location"]}", suspend_data "${values["cmi.suspend_data"]}"`);
    assert.equal(values["cmi.core.lesson_location"], "2", "the bookmark came with the beacon");
    assert.equal(values["cmi.suspend_data"], suspendData, "suspend_data came with the beacon");
    assert.equal(values["cmi.core.lesson_status"], "incomplete");
    assert.equal(launch.entry, "", "no exit = suspend was set, so the 1.2 entry is empty, not resume");
    assert.equal(await golf.ready(again.sco), pages[2], "the SCO resumes from the bookmark");
    assert.deepEqual(dialogs.map((d) => d.message), [RESUME_QUESTION]);
    noApiErrors([...learner.dialogs, ...dialogs], "both launches");
  } finally {
    await context.close();
  }
});

test("SCORM 3. 2004 (golf run-time basic calls): paged through to the knowledge check and passed, the SCO is completed and passed; /me shows the module done and a certificate", { timeout: 180_000 }, async (t) => {
  if (!(await ensureCourses(t, ["basic2004"]))) {
    return;
  }
  const learner = await newLearner("golfer-2004");
  const { page, context } = learner;
  try {
    const commits = scorm.recordCommits(page);
    const href = await openFirstModule(page, PACKAGES.basic2004.course);
    const { wrapper, sco } = await scorm.playerFrames(page, portal.contentUrl, LAUNCH);
    const api = await wrapper.evaluate(() => ({ api: typeof window.API, api2004: typeof window.API_1484_11, version: window.API_1484_11?.version }));
    assert.deepEqual(api, { api: "undefined", api2004: "object", version: "1.0" }, "the wrapper has window.API_1484_11 (version 1.0) and no 1.2 API");
    const launched = await scorm.attemptOf(wrapper);
    assert.equal(launched.version, "2004");
    assert.equal(launched.launch.entry, "ab-initio");

    const pages = await golf.pages(sco);
    assert.equal(pages.length, 15, `the 2004 SCO has 15 pages: ${pages.join(", ")}`);
    assert.equal(await golf.ready(sco), pages[0]);
    const get = (elements) => wrapper.evaluate((names) => names.map((n) => window.API_1484_11.GetValue(n)), elements);
    assert.deepEqual(await get(["cmi.completion_status", "cmi.success_status", "cmi.location"]), ["incomplete", "unknown", "0"], "after the first page");

    for (let i = 1; i < pages.length; i += 1) {
      assert.equal(await golf.next(sco), pages[i], `"Next ->" shows page ${i}`);
      if (i < pages.length - 1) {
        assert.equal((await get(["cmi.completion_status"]))[0], "incomplete", `page ${i}: not completed yet`);
      }
    }
    assert.match(pages[pages.length - 1], /^shared\/assessmenttemplate\.html\?/, "the last page is the knowledge check");
    // Reaching the last page completes the SCO; the knowledge check sets the score and success.
    assert.deepEqual(await get(["cmi.completion_status", "cmi.location"]), ["completed", String(pages.length - 1)], "the last page completes the SCO");
    const check = await golf.passKnowledgeCheck(golf.contentFrame(sco));
    t.diagnostic(`knowledge check: ${check.questions} questions, ${check.score}`);
    assert.equal(check.score, "Score: 100");
    assert.deepEqual(await get(["cmi.success_status", "cmi.score.scaled", "cmi.score.raw"]), ["passed", "1", "100"], "the knowledge check passed the SCO");

    // "Exit": exit normal (and adl.nav.request exitAll), session time, Terminate — one batch.
    await sco.getByRole("button", { name: "Exit", exact: true }).click();
    const terminate = await scorm.waitForCommit(commits, "Terminate", "after Exit");
    t.diagnostic(`commits:\n  ${scorm.describeCommits(commits)}`);
    assert.equal(terminate.status, 200, `the batch with Terminate is acknowledged: ${scorm.describeCommits(commits)}`);
    const calls = commits.flatMap((c) => c.batch.calls);
    for (const [element, value] of [["cmi.completion_status", "completed"], ["cmi.success_status", "passed"], ["cmi.score.scaled", "1"], ["adl.nav.request", "exitAll"]]) {
      assert.ok(calls.some((c) => c[0] === "SetValue" && c[1] === element && c[2] === value), `the batches carry ${element} = ${value}`);
    }
    assert.ok(calls.some((c) => c[0] === "SetValue" && c[1] === "cmi.session_time"), "and the session time");
    noApiErrors(learner.dialogs, "the 2004 SCO");

    // /me: the module is done and the course (its only required module) earned a certificate.
    const me = await scorm.waitForMyCourse(page, PACKAGES.basic2004.course, (c) => c.listed && /✓ 修了$/.test(c.modules[0] || ""), "/me marks the 2004 SCO ✓ 修了");
    assert.deepEqual(me.modules, ["Golf Explained ✓ 修了"], "/me marks the SCO completed");
    assert.equal(me.status, "修了 — 1/1", `/me shows the course completed:\n${me.text}`);
    assert.equal(me.certificates.length, 1, `/me lists one certificate:\n${me.text}`);
    assert.match(me.certificates[0].text, new RegExp(`^${PACKAGES.basic2004.title} \\(`), "the certificate is for the 2004 golf course");
    assert.match(me.certificates[0].href, /^\/certificates\/[^/]+\.pdf$/);
    const pdf = await context.request.get(me.certificates[0].href, { timeout: 30_000 });
    assert.equal(pdf.status(), 200, `GET ${me.certificates[0].href}`);
    assert.equal((await pdf.body()).subarray(0, 5).toString("latin1"), "%PDF-", "the certificate is a PDF");
    await screenshots(page, "scorm-me-2004");

    // Launched again after a normal exit: a new attempt; leaving it does not undo the completion.
    await page.goto(href);
    const again = await scorm.playerFrames(page, portal.contentUrl, LAUNCH);
    const next = await scorm.attemptOf(again.wrapper);
    t.diagnostic(`relaunch after exit: entry ${next.launch.entry}, completion ${next.values["cmi.completion_status"]}, total_time ${next.values["cmi.total_time"]}`);
    await golf.ready(again.sco);
    await page.goto("/");
    const still = await scorm.myCourse(page, PACKAGES.basic2004.course);
    assert.equal(still.status, "修了 — 1/1", `revisiting the SCO does not undo the completion:\n${still.text}`);
    assert.equal(still.certificates.length, 1);
    assert.deepEqual(context.offsite, [], "no request left 127.0.0.1");
  } finally {
    await context.close();
  }
});

test("SCORM 4. multi-SCO 1.2: the table of contents and previous/next move between the SCOs of RuntimeMinimumCalls; each finished SCO counts; the player says when a package has sequencing", { timeout: 180_000 }, async (t) => {
  if (!(await ensureCourses(t, ["multi12", "basic2004"]))) {
    return;
  }
  const learner = await newLearner("multi");
  const { page, context } = learner;
  const course = PACKAGES.multi12.course;
  try {
    const links = await moduleLinks(page, course);
    assert.equal(links.length, 18, "one player link per SCO");
    const toc = page.locator("main nav[aria-label='もくじ']");
    const pager = page.locator("main .pager");
    const nextLink = pager.getByRole("link", { name: "次へ →" });
    const previousLink = pager.getByRole("link", { name: "← 戻る" });
    /** Where the player is: URL, current TOC entry, SCO file, pager. */
    async function at(title, launch, index) {
      await flows.expectPath(page, links[index], `the player of "${title}"`);
      await flows.expectNoErrorPage(page, `the player of "${title}"`);
      assert.equal((await page.locator("main h1").innerText()).trim(), title, "the page title is the SCO's");
      assert.equal((await toc.locator("[aria-current='page']").innerText()).trim(), title, "the table of contents marks the current SCO");
      assert.equal(await toc.locator("li").count(), 18, "the table of contents lists every SCO");
      assert.equal(await toc.locator("li a").count(), 17, "every other SCO is a link");
      const frames = await scorm.playerFrames(page, portal.contentUrl, launch);
      assert.equal(await previousLink.count(), index > 0 ? 1 : 0, `a previous link ${index > 0 ? "except" : "but not"} on the first SCO`);
      assert.equal(await nextLink.count(), index < 17 ? 1 : 0, `a next link ${index < 17 ? "except" : "but not"} on the last SCO`);
      if (index > 0) {
        assert.equal(await previousLink.getAttribute("href"), links[index - 1], "the previous link");
      }
      if (index < 17) {
        assert.equal(await nextLink.getAttribute("href"), links[index + 1], "the next link");
      }
      return frames;
    }

    await page.locator("main ol > li").first().getByRole("link", { name: "学習する" }).click();
    await at("How to Play", "Playing/Playing.html", 0);
    assert.equal(await page.locator("main [role='note']").count(), 0, "no sequencing notice for a 1.2 package without sequencing");
    await nextLink.click();
    const par = await at("Par?", "Playing/Par.html", 1);
    assert.match(await par.sco.locator("h1").innerText(), /Par/, "the SCO shows its page");
    await previousLink.click();
    await at("How to Play", "Playing/Playing.html", 0);
    // The table of contents: a quiz SCO, launched with the item's parameters (?questions=Etiquette).
    await toc.getByRole("link", { name: "Etiquette Quiz", exact: true }).click();
    const quiz = await at("Etiquette Quiz", "shared/assessmenttemplate.html?questions=Etiquette", 9);
    const ids = await quiz.sco.locator(".question").evaluateAll((qs) => qs.map((q) => q.id));
    assert.ok(ids.length > 0 && ids.every((id) => id.includes("etiquette")), `the quiz SCO got its parameters and shows the etiquette questions: ${ids.join(", ")}`);
    await toc.getByRole("link", { name: "Having Fun Quiz", exact: true }).click();
    await at("Having Fun Quiz", "shared/assessmenttemplate.html?questions=HavingFun", 17);
    noApiErrors(learner.dialogs, "the 1.2 SCOs");

    // Each SCO visited called LMSFinish on leaving, without a status: SCORM 1.2 makes it completed.
    const visited = ["How to Play", "Par?", "Etiquette Quiz", "Having Fun Quiz"];
    await page.goto("/");
    const me = await scorm.waitForMyCourse(
      page,
      course,
      (c) => c.listed && visited.every((title) => c.modules.includes(`${title} ✓ 修了`)),
      `/me marks the visited SCOs (${visited.join(", ")}) ✓ 修了`,
    );
    t.diagnostic(`/me: ${me.status}; done: ${me.modules.filter((m) => m.endsWith("✓ 修了")).join(", ")}`);
    assert.equal(me.modules.filter((m) => m.endsWith("✓ 修了")).length, 4, `only the visited SCOs are done: ${me.modules.join(" | ")}`);
    assert.equal(me.status, "受講中 — 4/18", "the course is in progress, 4 of 18");
    assert.equal(me.certificates.length, 0, "no certificate before every SCO is done");

    // A package with sequencing rules: the player says that MIST does not run them.
    await openFirstModule(page, PACKAGES.basic2004.course);
    const note = page.locator("main [role='note']");
    assert.equal(await note.count(), 1, "the 2004 package (imsss:sequencing) gets a notice");
    const text = await note.innerText();
    assert.match(text, /IMS Simple Sequencing/, `the notice names sequencing: ${text}`);
    assert.match(text, /目次と前後の移動/, `the notice says how to move instead: ${text}`);
    await scorm.playerFrames(page, portal.contentUrl, LAUNCH);
    assert.deepEqual(context.offsite, [], "no request left 127.0.0.1");
  } finally {
    await context.close();
  }
});

test("SCORM 5. sandbox: the SCO frame cannot read the session cookie, read the portal API as the learner, sign the learner out, or reach files outside its package", { timeout: 180_000 }, async (t) => {
  if (!(await ensureCourses(t, ["basic12", "multi12"]))) {
    return;
  }
  const learner = await newLearner("sandbox");
  const { page, context } = learner;
  try {
    await openFirstModule(page, PACKAGES.basic12.course);
    const { sco, base } = await scorm.playerFrames(page, portal.contentUrl, LAUNCH);
    await golf.ready(sco);
    const content = golf.contentFrame(sco);
    const session = (await context.cookies(portal.url)).find((c) => c.name === "mist_session");
    assert.ok(session, "the learner has a portal session cookie");
    assert.equal(session.httpOnly, true, "the session cookie is HttpOnly");

    // 1. No cookie of the portal is readable in the SCO's frames.
    for (const [name, frame] of [["the SCO", sco], ["its page", content]]) {
      const cookie = await frame.evaluate(() => document.cookie);
      assert.ok(!cookie.includes("mist_session"), `${name}: document.cookie does not show mist_session: "${cookie}"`);
    }

    // 2. The portal's API, fetched from the content frame with the learner's cookies, cannot be read.
    const api = await content.evaluate(async (portalUrl) => {
      const out = {};
      try {
        const response = await fetch(`${portalUrl}/api/v1/me`, { credentials: "include" });
        out.cors = { type: response.type, status: response.status, body: await response.text() };
      } catch (error) {
        out.cors = { error: `${error.name}: ${error.message}` };
      }
      try {
        const response = await fetch(`${portalUrl}/api/v1/me`, { credentials: "include", mode: "no-cors" });
        out.opaque = { type: response.type, status: response.status, body: await response.text() };
      } catch (error) {
        out.opaque = { error: `${error.name}: ${error.message}` };
      }
      return out;
    }, portal.url);
    t.diagnostic(`fetch /api/v1/me from the SCO: ${JSON.stringify(api)}`);
    assert.ok(api.cors.error, `a CORS fetch of /api/v1/me fails in the SCO: ${JSON.stringify(api.cors)}`);
    assert.deepEqual(api.opaque, { type: "opaque", status: 0, body: "" }, "a no-cors fetch gets an opaque answer");
    // The portal grants no cross-origin read (no CORS headers for the content origin).
    const direct = await context.request.get(`${portal.url}/api/v1/me`, { headers: { Origin: portal.contentUrl }, timeout: 15_000 });
    assert.equal(direct.headers()["access-control-allow-origin"], undefined, "no Access-Control-Allow-Origin for the content origin");
    assert.equal(direct.headers()["access-control-allow-credentials"], undefined, "no Access-Control-Allow-Credentials");

    // 3. Content URLs with ../ (plain or encoded) stay inside the package folder.
    const packagesDir = path.join(portal.dataDir, "packages");
    const database = path.join(portal.dataDir, "mist.db");
    assert.ok(fs.existsSync(database), `the database a traversal would reach exists: ${database}`);
    const others = fs.readdirSync(packagesDir).filter((d) => /^[0-9a-f-]{36}$/.test(d));
    assert.ok(others.length >= 2, `other packages' folders exist beside this one: ${others.join(", ")}`);
    const filesPath = `${new URL(base).pathname}files/`;
    const control = await scorm.rawGet(portal.contentUrl, `${filesPath}imsmanifest.xml`);
    assert.equal(control.status, 200, "the package's own manifest is served (control)");
    assert.match(control.head, /^<\?xml/);
    const attempts = [
      "../../mist.db",
      "shared/../../../mist.db",
      "%2e%2e/%2e%2e/mist.db",
      "%2E%2E%2F%2E%2E%2Fmist.db",
      "..%2f..%2fmist.db",
      "shared/..%2f..%2f..%2fmist.db",
      "..%5c..%5cmist.db",
      "%2fetc%2fpasswd",
      "/etc/passwd",
      `..%2F..%2F..%2F..%2F..%2F..%2F..%2F..%2F..%2F..%2F${database.slice(1).split("/").join("%2F")}`,
      ...others.map((d) => `../${d}/imsmanifest.xml`),
      ...others.map((d) => `%2e%2e%2f${d}%2fimsmanifest.xml`),
    ];
    const answers = [];
    for (const attempt of attempts) {
      const answer = await scorm.rawGet(portal.contentUrl, `${filesPath}${attempt}`);
      answers.push(`${attempt} → ${answer.status}`);
      assert.equal(answer.status, 404, `GET ${filesPath}${attempt} is refused (404), not ${answer.status}: ${answer.head}`);
      assert.ok(!answer.head.startsWith("SQLite format 3") && !answer.head.startsWith("<?xml") && !answer.head.startsWith("root:"), `no file outside the package in the answer: ${answer.head}`);
    }
    t.diagnostic(`traversal attempts: ${answers.join("; ")}`);
    // From the SCO's own page, as its scripts would try it (the browser resolves plain ../ itself).
    const fetched = await content.evaluate(async () => {
      const out = [];
      for (const url of ["../../../mist.db", "..%2F..%2F..%2Fmist.db", "%2e%2e/%2e%2e/%2e%2e/mist.db", "../../imsmanifest.xml"]) {
        const response = await fetch(url);
        const text = await response.text();
        out.push({ url, resolved: response.url, status: response.status, head: text.slice(0, 16) });
      }
      return out;
    });
    t.diagnostic(`from the SCO's page: ${fetched.map((f) => `${f.url} → ${f.resolved} ${f.status}`).join("; ")}`);
    for (const f of fetched) {
      assert.equal(f.status, 404, `fetch("${f.url}") from the SCO's page (${f.resolved}) is refused: ${f.status} ${f.head}`);
      assert.ok(!f.head.startsWith("SQLite format 3"), `${f.url}: not the database`);
    }
    // 4. Requests that would act as the learner are refused by the CSRF layer (403).
    const refused = [];
    page.on("response", (response) => {
      const url = new URL(response.url());
      if (url.origin === portal.url && response.request().method() === "POST") {
        refused.push(`${url.pathname} ${response.status()} (${response.request().resourceType()})`);
      }
    });
    await content.evaluate(async (portalUrl) => {
      const body = JSON.stringify({ course: "staff", module: "b1-what-happens-in-an-attack", lesson: "x", from: 0, to: 10 });
      await fetch(`${portalUrl}/api/v1/progress/video`, { method: "POST", credentials: "include", mode: "no-cors", body }).catch(() => {});
      await fetch(`${portalUrl}/logout`, { method: "POST", credentials: "include", mode: "no-cors" }).catch(() => {});
    }, portal.url);
    // A form posted from the SCO's page (a navigation of that frame, which fetch() cannot mimic).
    const formPost = page.waitForResponse((r) => r.url() === `${portal.url}/logout` && r.request().resourceType() === "document", { timeout: 15_000 });
    await content.evaluate((portalUrl) => {
      const form = document.createElement("form");
      form.method = "post";
      form.action = `${portalUrl}/logout`;
      document.body.appendChild(form);
      form.submit();
    }, portal.url);
    assert.equal((await formPost).status(), 403, "a form POST to the portal's /logout from the SCO is refused");
    await page.waitForTimeout(300);
    t.diagnostic(`POSTs to the portal from the SCO: ${refused.join(", ")}`);
    assert.deepEqual(
      refused.sort(),
      ["/api/v1/progress/video 403 (fetch)", "/logout 403 (document)", "/logout 403 (fetch)"],
      "every POST from the SCO to the portal is refused with 403",
    );
    const me = await page.goto("/me");
    assert.equal(me.status(), 200, "the learner is still signed in");
    await flows.expectPath(page, "/me", "after the SCO's attempts to sign the learner out");
    assert.equal(await page.getByRole("navigation").getByRole("button", { name: "ログアウト" }).count(), 1, "the portal still shows the learner signed in");

    assert.deepEqual(context.offsite, [], "no request left 127.0.0.1");
  } finally {
    await context.close();
  }
});

// Known, reported bug: the content origin differs from the portal only by its port, and cookies do not
// isolate ports. A SCO can set a cookie for the portal's host that shadows the session cookie on some
// paths: the learner is signed out there (or, with a session token of the package author's own account,
// signed in as that account: progress and answers recorded to the wrong person).
test("SCORM 5b. sandbox: a cookie the SCO sets does not reach the portal (learner stays signed in on /me)", {
  timeout: 120_000,
}, async (t) => {
  if (!(await ensureCourses(t, ["basic12"]))) {
    return;
  }
  const learner = await newLearner("cookie");
  const { page, context } = learner;
  try {
    await openFirstModule(page, PACKAGES.basic12.course);
    const { sco } = await scorm.playerFrames(page, portal.contentUrl, LAUNCH);
    await golf.ready(sco);
    await golf.contentFrame(sco).evaluate(() => {
      document.cookie = "mist_session=planted-by-the-sco; path=/me";
    });
    const planted = (await context.cookies()).filter((c) => c.name === "mist_session").map((c) => `${c.domain}${c.path} (${c.httpOnly ? "HttpOnly, the portal's" : "set by script"})`);
    t.diagnostic(`mist_session cookies the portal now gets: ${planted.join(", ")}`);
    await page.goto("/me");
    assert.equal(new URL(page.url()).pathname, "/me", `the learner is still signed in on /me after the SCO set a cookie (the portal sent them to ${page.url()})`);
  } finally {
    await context.close();
  }
});

// Known, reported bug (a race: it fails in about 3 runs out of 4 here): launch_page reads the learner's
// latest state when the portal page is requested, and the newest launch is "latest" (ORDER BY
// created_at, to the second). On a reload, the new page is requested before the old one's
// Finish/beacon batch is stored: the new launch starts from the older state and, being newer, hides the
// stored batch from every later launch too.
test("SCORM 5c. reloading the player keeps what the SCO recorded before the reload", {
  timeout: 120_000,
}, async (t) => {
  if (!(await ensureCourses(t, ["basic12"]))) {
    return;
  }
  const learner = await newLearner("reload");
  const { page, context } = learner;
  try {
    const href = await openFirstModule(page, PACKAGES.basic12.course);
    let frames = await scorm.playerFrames(page, portal.contentUrl, LAUNCH);
    const pages = await golf.pages(frames.sco);
    await golf.ready(frames.sco);
    for (let i = 1; i <= 3; i += 1) {
      await golf.next(frames.sco);
    }
    await page.reload();
    frames = await scorm.playerFrames(page, portal.contentUrl, LAUNCH);
    const reloaded = await scorm.attemptOf(frames.wrapper);
    t.diagnostic(`after the reload: entry "${reloaded.launch.entry}", lesson_location "${reloaded.values["cmi.core.lesson_location"]}"`);
    await golf.ready(frames.sco);
    // Leave and come back later: the launch after that shows what was kept.
    await page.goto("/");
    await page.waitForTimeout(LANDING_MS);
    await page.goto(href);
    frames = await scorm.playerFrames(page, portal.contentUrl, LAUNCH);
    const later = await scorm.attemptOf(frames.wrapper);
    t.diagnostic(`launched again later: entry "${later.launch.entry}", lesson_location "${later.values["cmi.core.lesson_location"]}"`);
    assert.equal(reloaded.values["cmi.core.lesson_location"], "3", "the reloaded player resumes at the page left (lesson_location 3)");
    assert.equal(reloaded.launch.entry, "resume", "the reloaded launch resumes (the SCO suspended on unload)");
    assert.equal(await golf.ready(frames.sco), pages[3], "and the SCO shows that page");
  } finally {
    await context.close();
  }
});

// Known, reported bug: portal pages send neither X-Frame-Options nor CSP frame-ancestors. The content
// origin is same-site (same host), so SameSite=Lax cookies go along: a SCO can frame the portal signed
// in, invisibly, and have the learner (or a manager, on /manage) click its buttons (clickjacking).
test("SCORM 5d. sandbox: a SCO cannot frame the portal's pages (signed in)", {
  timeout: 120_000,
}, async (t) => {
  if (!(await ensureCourses(t, ["basic12"]))) {
    return;
  }
  const learner = await newLearner("framer");
  const { page, context } = learner;
  try {
    await openFirstModule(page, PACKAGES.basic12.course);
    const { sco } = await scorm.playerFrames(page, portal.contentUrl, LAUNCH);
    await golf.ready(sco);
    const response = await context.request.get(`${portal.url}/me`, { timeout: 15_000 });
    const headers = response.headers();
    t.diagnostic(`GET /me: x-frame-options ${headers["x-frame-options"]}, content-security-policy ${headers["content-security-policy"]}`);
    await sco.evaluate((url) => {
      const frame = document.createElement("iframe");
      frame.src = url;
      frame.style.opacity = "0.01";
      document.body.appendChild(frame);
    }, `${portal.url}/me`);
    await page.waitForTimeout(1_500);
    const framed = page.frames().find((f) => f.url() === `${portal.url}/me`);
    const heading = framed ? (await framed.locator("main h1").innerText().catch(() => "")).trim() : "";
    assert.equal(heading, "", `the SCO framed the learner's /me, signed in ("${heading}")`);
  } finally {
    await context.close();
  }
});

test("SCORM 6. accessibility: axe finds no serious or critical violation on the SCORM player (portal side) and the upload page", { timeout: 180_000 }, async (t) => {
  const files = scorm.golfPackages(t, [BAD]);
  if (!files || !(await ensureCourses(t, ["basic2004", "multi12"]))) {
    return;
  }
  const learner = await newLearner("axe");
  const { page, context } = learner;
  const failures = [];
  async function check(name, launch) {
    await scorm.playerFrames(page, portal.contentUrl, launch);
    const violations = await axeViolations(page);
    const serious = blocking(violations);
    const minor = violations.filter((v) => !serious.includes(v));
    if (minor.length) {
      t.diagnostic(`${name}: moderate/minor (not failing):\n${describe(minor, name)}`);
    }
    if (serious.length) {
      failures.push(describe(serious, name));
    }
    const overflow = await phoneOverflow(page);
    if (overflow.scrollWidth > overflow.viewport) {
      t.diagnostic(`${name}: at 375 px the page scrolls sideways (${overflow.scrollWidth} px): ${JSON.stringify(overflow.elements)}`);
    }
    await playerShots(page, name);
  }
  try {
    await openFirstModule(page, PACKAGES.basic2004.course);
    await check("scorm-player-2004", LAUNCH);
    const links = await moduleLinks(page, PACKAGES.multi12.course);
    await page.goto(links[1]);
    await check("scorm-player-multi", "Playing/Par.html");
    // The upload page with a report (administrator).
    const { page: adminPage } = await admin();
    await scorm.uploadPackage(adminPage, files[BAD], { slug: "badscorm" });
    const violations = await axeViolations(adminPage);
    if (blocking(violations).length) {
      failures.push(describe(blocking(violations), "/manage/packages (rejection report)"));
    }
    assert.equal(failures.length, 0, `serious/critical axe violations:\n${failures.join("\n")}`);
  } finally {
    await context.close();
  }
});


// Known, reported bug: the content origin's launch page (MIST's own wrapper around the SCO) has no lang
// on <html> (axe html-has-lang, serious).
test("SCORM 6b. accessibility: axe finds no serious or critical violation in MIST's launch wrapper on the content origin", {
  timeout: 120_000,
}, async (t) => {
  if (!(await ensureCourses(t, ["multi12"]))) {
    return;
  }
  const learner = await newLearner("axe-wrapper");
  const { page, context } = learner;
  try {
    const links = await moduleLinks(page, PACKAGES.multi12.course);
    await page.goto(links[1]);
    const { wrapper } = await scorm.playerFrames(page, portal.contentUrl, "Playing/Par.html");
    const violations = await axeViolations(wrapper);
    assert.deepEqual(blocking(violations).map((v) => v.id), [], `serious/critical axe violations in the wrapper:\n${describe(blocking(violations), "/attempts/{token}/launch")}`);
  } finally {
    await context.close();
  }
});
