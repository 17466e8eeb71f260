"use strict";
// Driving the golf "run-time basic calls" SCOs (singlescobasic.zip for SCORM 1.2,
// RuntimeBasicCalls_SCORM20043rdEdition.zip for 2004) as a learner does. Their launch page
// (shared/launchpage.html) is a small controller: an <iframe id="contentFrame"> showing one of 15 or 16
// pages (pageArray; the last is the knowledge check) and the buttons "<- Previous", "Next ->" and
// "Exit". What the SCO does with the API (read from its source):
// - on load: Initialize; lesson_status/completion_status "incomplete" when not attempted / unknown;
//   if lesson_location/location holds a bookmark, confirm("Would you like to resume …") and go there;
// - on every page: SetValue lesson_location/location = page index; on the last page, status "completed";
// - the knowledge check: score.raw/min/max (2004: scaled) and "passed" (≥ 70 %) or "failed";
// - on beforeunload/unload (not at the end): session_time, exit = "suspend", then Finish/Terminate;
//   "Exit" at the end: exit = "" (2004: adl.nav.request = "exitAll"), session_time, Finish/Terminate.
// It never sets suspend_data and never calls Commit: its data reaches the LMS on Finish/Terminate (or
// the adapter's 30 s timer, or its page-hide beacon).
const assert = require("node:assert/strict");

/** The page the SCO shows, relative to the package root (e.g. "Playing/Par.html"). */
async function currentPage(sco) {
  return sco.evaluate(() => {
    const frame = document.getElementById("contentFrame");
    const href = frame.contentWindow.location.href;
    const files = href.indexOf("/files/");
    return files < 0 ? href : href.slice(files + "/files/".length);
  });
}

/** Waits (bounded) until the SCO has started (its onload ran) and its content frame shows a page. */
async function ready(sco, timeoutMs = 15_000) {
  await sco.waitForFunction(
    () => {
      const frame = document.getElementById("contentFrame");
      return (
        typeof currentPage === "number" && // eslint-disable-line no-undef
        frame &&
        frame.contentWindow.location.href !== "about:blank" &&
        frame.contentDocument &&
        frame.contentDocument.readyState === "complete"
      );
    },
    null,
    { timeout: timeoutMs },
  );
  return currentPage(sco);
}

/** The SCO's page list (its own `pageArray`). */
async function pages(sco) {
  return sco.evaluate(() => Array.from(pageArray)); // eslint-disable-line no-undef
}

/** Clicks a button of the SCO's navigation bar and waits (bounded) until the next page has loaded. */
async function press(sco, name, timeoutMs = 15_000) {
  const before = await sco.evaluate(() => document.getElementById("contentFrame").contentWindow.location.href);
  await sco.getByRole("button", { name, exact: true }).click();
  await sco.waitForFunction(
    (previous) => {
      const frame = document.getElementById("contentFrame");
      const href = frame.contentWindow.location.href;
      return href !== previous && href !== "about:blank" && frame.contentDocument && frame.contentDocument.readyState === "complete";
    },
    before,
    { timeout: timeoutMs },
  );
  return currentPage(sco);
}

const next = (sco) => press(sco, "Next ->");
const previous = (sco) => press(sco, "<- Previous");

/** The frame of the page the SCO shows. */
function contentFrame(sco) {
  const frame = sco.childFrames().find((f) => f.name() === "contentFrame");
  assert.ok(frame, "the golf SCO has its content frame");
  return frame;
}

/**
 * On the knowledge check (shared/assessmenttemplate.html): answers every question right and submits.
 * The sample page marks each right answer with class "correctAnswer" (numeric answers are printed in
 * parentheses), which is what a learner reading it would pick. Returns the score line and the count.
 */
async function passKnowledgeCheck(frame) {
  const questions = frame.locator(".question");
  const count = await questions.count();
  assert.ok(count > 0, "the knowledge check shows questions");
  for (let i = 0; i < count; i += 1) {
    const question = questions.nth(i);
    const right = question.locator(".correctAnswer");
    if (await right.locator("input[type=radio]").count()) {
      await right.locator("input[type=radio]").check();
    } else {
      const shown = await right.innerText();
      const number = /\((\d+)\)/.exec(shown);
      assert.ok(number, `a numeric question shows its answer in parentheses: ${shown}`);
      await right.locator("input[type=text]").fill(number[1]);
    }
  }
  await frame.getByRole("button", { name: "Submit Answers" }).click();
  const score = frame.locator("#test h3").first();
  await score.waitFor({ timeout: 10_000 });
  return { score: (await score.innerText()).trim(), questions: count };
}

module.exports = { currentPage, ready, pages, press, next, previous, contentFrame, passKnowledgeCheck };
