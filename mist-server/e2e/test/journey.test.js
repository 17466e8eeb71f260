"use strict";
// End to end through the interface, in headless Chromium against a fresh `mist serve`: an administrator
// creates an organization, its manager invites a learner, the learner studies and passes a module, the
// manager sees the progress; a learner who completes the whole staff course gets a certificate.
//
// Needs: Chromium (`apt-get install -y chromium`, or CHROMIUM=/path), `npm ci` here, and the `mist`
// binary (MIST_BIN=/path/to/mist, or cargo to build it).
const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const { startPortal } = require("./lib/portal.js");
const { launchBrowser, newPerson, screenshots, phoneOverflow } = require("./lib/browser.js");
const { courseModules } = require("./lib/quiz.js");
const { axeViolations, describe, blocking } = require("./lib/axe.js");
const flows = require("./lib/flows.js");

const COURSE = "staff";
const COURSE_TITLE = "初学者・医療従事者向け研修";
const MODULE = "b1-what-happens-in-an-attack";

let portal;
let browser;

before(async () => {
  portal = await startPortal();
  browser = await launchBrowser();
}, { timeout: 120_000 });

after(async () => {
  await browser?.close();
  await portal?.stop();
});

/** Notes page-level horizontal scrolling at 375 px as a diagnostic (see the screenshots). */
async function notePhoneLayout(t, page, name) {
  const overflow = await phoneOverflow(page);
  if (overflow.scrollWidth > overflow.viewport) {
    t.diagnostic(
      `${name}: at 375 px the page scrolls sideways (${overflow.scrollWidth} px wide): ` +
        overflow.elements.map((e) => `<${e.tag}${e.className ? `.${e.className}` : ""}> to ${e.right} px "${e.text}"`).join("; "),
    );
  }
}

test("3. end to end: administrator → organization → manager → invited learner passes a module → manager sees 1/5", { timeout: 300_000 }, async (t) => {
  // The administrator, on their own computer.
  const admin = await newPerson(browser, portal.url);
  // A shared computer on the ward: the manager, then the learner, then the manager again.
  const ward = await newPerson(browser, portal.url);
  try {
    // The one-time link: opening it (GET) only shows a button and does not use it up.
    await admin.page.goto(portal.adminLink);
    await admin.page.reload();
    await flows.useSignInLink(admin.page, portal.adminLink);
    await flows.setPassword(admin.page);
    await admin.page.goto(portal.adminLink);
    assert.match(await admin.page.locator("main").innerText(), /使用済みか、期限切れ/, "the used link cannot be used again");
    await admin.page.goto("/");

    const managerEmail = "kanri@tokushima-e2e.example.jp";
    const managerInvitation = await flows.createOrganization(admin.page, portal.url, {
      name: "E2E 徳島中央病院",
      prefecture: "徳島県",
      managerEmail,
    });
    await screenshots(admin.page, "admin-notice");

    // The manager signs up with the invitation and invites a learner.
    await flows.acceptInvitation(ward.page, managerInvitation, { email: managerEmail, name: "管理 花子", kana: "かんり はなこ" });
    await ward.page.getByRole("navigation").getByRole("link", { name: "施設管理" }).waitFor();
    const learnerEmail = "gakushu@tokushima-e2e.example.jp";
    const learnerInvitation = await flows.invite(ward.page, portal.url, learnerEmail, "learner");
    assert.match(await ward.page.locator("main").innerText(), /E2E 徳島中央病院/, "the manager manages the new organization");
    await flows.signOut(ward.page);
    const manage = await ward.page.goto("/manage");
    assert.equal(new URL(ward.page.url()).pathname, "/login", `after signing out, /manage asks to sign in (status ${manage.status()})`);

    // The learner signs up with the invitation, studies every lesson of a module and passes its quiz.
    await flows.acceptInvitation(ward.page, learnerInvitation, { email: learnerEmail, name: "学習 太郎", kana: "がくしゅう たろう" });
    assert.equal(await ward.page.getByRole("navigation").getByRole("link", { name: "施設管理" }).count(), 0, "a learner has no manage link");
    const titles = await flows.studyModule(ward.page, COURSE, MODULE);
    t.diagnostic(`lessons studied: ${titles.join(" / ")}`);
    await ward.page.goto(`/learn/${COURSE}/${MODULE}`);
    await screenshots(ward.page, "player");
    await notePhoneLayout(t, ward.page, "player");
    await ward.page.goto(`/learn/${COURSE}/${MODULE}?lesson=closed-network-and-your-role`);
    await ward.page.locator("main .pager").getByRole("link", { name: "確認テストを受ける" }).waitFor();
    const quizUrl = `/learn/${COURSE}/${MODULE}/quiz`;
    await ward.page.goto(quizUrl);
    await screenshots(ward.page, "quiz");
    await notePhoneLayout(t, ward.page, "quiz");
    await ward.page.goto(`/learn/${COURSE}/${MODULE}?lesson=closed-network-and-your-role`);
    const answered = await flows.passQuiz(ward.page, COURSE, MODULE);
    t.diagnostic(`quiz: ${answered} questions answered, 合格`);
    await screenshots(ward.page, "quiz-result");
    await notePhoneLayout(t, ward.page, "quiz result");
    const resultViolations = await axeViolations(ward.page);
    if (resultViolations.length) {
      t.diagnostic(`axe on the quiz result (not in the brief's page list):\n${describe(resultViolations, "quiz result")}`);
    }
    assert.deepEqual(blocking(resultViolations), [], "no serious or critical axe violation on the quiz result");

    await ward.page.goto("/me");
    assert.match(await ward.page.locator("main").innerText(), new RegExp(`${COURSE_TITLE}\\s+受講中 — 1/5`), "/me shows 1/5");
    await flows.signOut(ward.page);

    // The manager signs in again and sees the learner's progress.
    await flows.signIn(ward.page, managerEmail);
    await ward.page.getByRole("navigation").getByRole("link", { name: "施設管理" }).click();
    await flows.expectPath(ward.page, "/manage", "the manage link");
    const row = ward.page.locator("main table tbody tr").filter({ hasText: learnerEmail });
    assert.equal(await row.count(), 1, "the learner is listed on /manage");
    const cells = await row.locator("td").allInnerTexts();
    assert.equal(cells[0].trim(), "学習 太郎");
    assert.equal(cells[1].trim(), `${COURSE_TITLE}: 1/5`, "the manager sees 1/5 for the staff course");
    assert.equal(cells[3].trim(), "受講者");
    await screenshots(ward.page, "manage");
    await notePhoneLayout(t, ward.page, "/manage");
    assert.deepEqual([...admin.context.offsite, ...ward.context.offsite], [], "no request left 127.0.0.1");
    assert.deepEqual([...admin.page.pageErrors, ...ward.page.pageErrors], [], "no script errors");
  } finally {
    await admin.context.close();
    await ward.context.close();
  }
});

/** The certificate link on /me, if the portal offers one. */
async function certificateLink(page) {
  const links = page.locator("main a[href*='/certificates/']");
  return (await links.count()) ? links.first() : null;
}

test("5. certificate: a learner who completes all 5 staff modules downloads the PDF from /me and /verify says genuine", { timeout: 600_000 }, async (t) => {
  const learner = await newPerson(browser, portal.url);
  const visitor = await newPerson(browser, portal.url);
  try {
    await flows.joinWithCode(learner.page, {
      code: portal.joinCode,
      email: "zenbu@demo-e2e.example.jp",
      name: "修了 一郎",
    });
    const modules = courseModules(COURSE);
    assert.equal(modules.length, 5, "the staff course has 5 modules");
    for (const module of modules) {
      await flows.studyModule(learner.page, COURSE, module);
      await flows.passQuiz(learner.page, COURSE, module);
    }
    await learner.page.goto("/me");
    const me = await learner.page.locator("main").innerText();
    assert.match(me, new RegExp(`${COURSE_TITLE}\\s+修了 — 5/5`), "/me shows the course as completed, 5/5");
    await screenshots(learner.page, "me-completed");

    // /certificates/{code}.pdf and /verify/{code} exist (they answered 404 before the certificate
    // commit; this test then asserted that, marked FIXME). Now /me must link the PDF.
    const link = await certificateLink(learner.page);
    assert.ok(link, `/me links a certificate PDF (/certificates/{code}.pdf) once the course is complete:\n${me}`);
    // The certificate: a PDF download from /me.
    const href = await link.getAttribute("href");
    const match = /\/certificates\/([^/?#]+)\.pdf(?:[?#].*)?$/.exec(href);
    assert.ok(match, `the certificate link is /certificates/{code}.pdf: ${href}`);
    const code = decodeURIComponent(match[1]);
    const [download] = await Promise.all([learner.page.waitForEvent("download", { timeout: 30_000 }), link.click()]);
    const file = await download.path();
    const bytes = fs.readFileSync(file);
    assert.equal(bytes.subarray(0, 5).toString("latin1"), "%PDF-", "the download is a PDF");
    assert.ok(bytes.length > 1000, `the PDF is not empty (${bytes.length} bytes)`);
    t.diagnostic(`certificate ${code}: ${download.suggestedFilename()}, ${bytes.length} bytes`);

    // Anyone can verify it, signed in or not: the page states the verdict as a status message (the
    // other verdicts, revoked / expired / invalid / unknown, are alerts) and shows what the certificate says.
    const verdict = async (path) => {
      const response = await visitor.page.goto(path);
      return {
        status: response.status(),
        ok: (await visitor.page.locator("main [role=status]").allInnerTexts()).join(" "),
        alert: (await visitor.page.locator("main [role=alert]").allInnerTexts()).join(" "),
        text: await visitor.page.locator("main").innerText(),
      };
    };
    const ja = await verdict(`/verify/${encodeURIComponent(code)}`);
    assert.equal(ja.status, 200, `GET /verify/${code} answers 200`);
    assert.equal(ja.alert, "", `/verify/${code} shows no warning:\n${ja.text}`);
    assert.match(ja.ok, /有効/, `/verify/${code} says the certificate is genuine (有効):\n${ja.text}`);
    assert.match(ja.text, /修了 一郎/, "/verify shows the learner's name");
    assert.match(ja.text, new RegExp(COURSE_TITLE), "/verify shows the course");
    assert.match(ja.text, /MIST デモ病院/, "/verify shows the organization");
    const violations = blocking(await axeViolations(visitor.page));
    assert.equal(violations.length, 0, `axe on /verify:\n${describe(violations, "/verify")}`);
    await screenshots(visitor.page, "verify");
    const en = await verdict(`/verify/${encodeURIComponent(code)}?lang=en`);
    assert.equal(en.alert, "", "/verify in English shows no warning");
    assert.match(en.ok, /\bvalid\b|\bgenuine\b/i, `/verify in English says genuine:\n${en.text}`);
    await visitor.page.goto("/?lang=ja");

    // A code that was never issued (one character changed) is not genuine.
    const other = code.replace(/[0-9A-Z](?=[^0-9A-Z]*$)/, (c) => (c === "0" ? "1" : "0"));
    assert.notEqual(other, code);
    const forged = await verdict(`/verify/${encodeURIComponent(other)}`);
    assert.equal(forged.ok, "", `/verify/${other} (never issued) does not say genuine:\n${forged.text}`);
    assert.notEqual(forged.alert, "", `/verify/${other} (never issued) warns`);
    assert.doesNotMatch(forged.text, /修了 一郎/, "/verify of another code shows nobody's name");
  } finally {
    await learner.context.close();
    await visitor.context.close();
  }
});
