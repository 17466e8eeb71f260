"use strict";
// Third-party playback: our exports in headless Chromium, tracked by scorm-again (from npm) as the LMS
// runtime. A learner works through the lessons and the quiz; the committed data must show completion,
// the expected score and one interaction per answered question. A learner who leaves mid-module must
// land where they left off on relaunch. Both SCORM versions.
//
// Needs: Chromium (`apt-get install chromium`, or CHROMIUM=/path), `npm ci` in mist-scorm/sco, and
// cargo (or MIST_BIN=/path/to/mist, a built `mist` binary).
const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { spawnSync } = require("node:child_process");
const { chromium } = require("playwright-core");
const { unzip } = require("./unzip.js");
const { serve } = require("./server.js");
const learner = require("./learner.js");

const SCO_DIR = path.resolve(__dirname, "../..");
const REPO = path.resolve(SCO_DIR, "../..");
const VERSIONS = ["1.2", "2004"];
const COURSE = "staff";
const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const temp = fs.mkdtempSync(path.join(os.tmpdir(), "mist-sco-browser-"));
const packages = new Map();
let server;
let context;

function chromiumPath() {
  const candidates = [process.env.CHROMIUM, "/usr/bin/chromium", "/usr/bin/chromium-browser"].filter(Boolean);
  const found = candidates.find((candidate) => fs.existsSync(candidate));
  if (!found) {
    throw new Error(`Chromium not found (tried ${candidates.join(", ")}): apt-get install -y chromium, or set CHROMIUM`);
  }
  return found;
}

/** Exports the course with the real CLI, exactly as an administrator would. */
function exportCourse(version) {
  const out = path.join(temp, `${COURSE}-${version}.zip`);
  const args = ["scorm", "export", "--course", COURSE, "--scorm", version, "-o", out];
  const [command, commandArgs] = process.env.MIST_BIN
    ? [process.env.MIST_BIN, args]
    : ["cargo", ["run", "--quiet", "-p", "mist-server", "--bin", "mist", "--", ...args]];
  const run = spawnSync(command, commandArgs, { cwd: REPO, stdio: ["ignore", "inherit", "inherit"] });
  if (run.error || run.status !== 0) {
    throw new Error(`\`${command} ${commandArgs.join(" ")}\` failed: ${run.error || `exit ${run.status}`}`);
  }
  return unzip(fs.readFileSync(out));
}

before(async () => {
  const executablePath = chromiumPath();
  for (const version of VERSIONS) {
    packages.set(version, exportCourse(version));
  }
  const againDist = path.join(SCO_DIR, "node_modules/scorm-again/dist");
  if (!fs.existsSync(path.join(againDist, "scorm-again.js"))) {
    throw new Error("scorm-again is not installed: run `npm ci` in mist-scorm/sco");
  }
  server = await serve({ host: path.join(__dirname, "host"), againDist, packages });
  context = await chromium.launchPersistentContext(path.join(temp, "profile"), {
    executablePath,
    headless: true,
    args: CHROMIUM_FLAGS,
  });
});

after(async () => {
  await context?.close();
  await server?.close();
  fs.rmSync(temp, { recursive: true, force: true });
});

/** The first module with a quiz, from the package manifest. */
function firstModule(version) {
  const manifest = packages.get(version).get("imsmanifest.xml").toString("utf8");
  const match = /<resource identifier="res-[^"]+"[^>]*href="([^"]+\/index\.html)"/.exec(manifest);
  assert.ok(match, "the manifest launches a SCO");
  return match[1];
}

for (const version of VERSIONS) {
  test(`SCORM ${version}: lessons and quiz are tracked by scorm-again`, async () => {
    const page = await context.newPage();
    const session = await learner.launch(page, server.url, version, firstModule(version), null);
    assert.equal(await session.statusText(), "", "no preview or LMS error banner");
    const lessons = await session.readLessonCount();
    for (let i = 1; i < lessons; i += 1) {
      await session.next();
    }
    await session.next();
    // Stay a moment so that the session time is visibly non-zero.
    await page.waitForTimeout(1100);
    // 1.2 answers everything right; 2004 gets one question wrong on purpose.
    const outcome = await session.takeQuiz(version === "2004");
    await session.leave();
    const cmi = (await session.snapshot()).cmi;
    const errors = await page.evaluate(() => window.host.errors);
    assert.deepEqual(errors, [], "every SetValue was accepted by scorm-again");
    learner.assertCompleted(version, cmi, outcome);
    assert.ok((await page.evaluate(() => window.host.commits)) >= lessons + 1, "commits at milestones");
    await page.close();
  });

  test(`SCORM ${version}: a learner who leaves mid-module resumes where they left off`, async () => {
    const page = await context.newPage();
    const launch = firstModule(version);
    const first = await learner.launch(page, server.url, version, launch, null);
    await first.next();
    const title = await first.heading();
    await first.leave();
    const saved = learner.resumeData(version, (await first.snapshot()).cmi);
    assert.equal(saved.location, "lesson-2");
    const again = await learner.launch(page, server.url, version, launch, saved.json);
    assert.equal(await again.heading(), title, "the relaunch shows the lesson the learner left");
    assert.equal(await again.currentStep(), "1");
    await page.close();
  });
}
