"use strict";
// Live training sessions (オンライン研修) in headless Chromium against a fresh `mist serve`: an
// administrator creates a session with one seat; learner A registers (sees the meeting link, downloads
// the .ics file), learner B joins the waiting list; A cancels and B is promoted. The session is then
// moved to have started, B enters the attendance keyword and passes the comprehension check, and the
// session counts as completed. axe runs on every live-session page.
//
// Needs: Chromium (`apt-get install -y chromium`, or CHROMIUM=/path), `npm ci` here, and the `mist`
// binary (MIST_BIN=/path/to/mist, or cargo to build it).
const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const { startPortal } = require("./lib/portal.js");
const { launchBrowser, newPerson, phoneOverflow } = require("./lib/browser.js");
const { axeViolations, describe } = require("./lib/axe.js");
const { answerCorrectly } = require("./lib/quiz.js");
const flows = require("./lib/flows.js");

const MEETING = "https://meet.example.jp/j/e2e-0001";
const KEYWORD = "まもる";
const TITLE = "E2E オンライン研修";
const QUIZ = ["administrator", "s1-basics-recent-threats"];

let portal;
let browser;
let people;
let learnerB;

before(async () => {
  portal = await startPortal();
  browser = await launchBrowser();
  people = await flows.setupOrganization(browser, portal, newPerson, "live");
  const emailB = "learner-b-live@hospital.example.jp";
  const link = await flows.invite(people.manager.page, portal.url, emailB);
  learnerB = { ...(await newPerson(browser, portal.url)), email: emailB };
  await flows.acceptInvitation(learnerB.page, link, { email: emailB, name: "学習 次郎", kana: "がくしゅう じろう" });
}, { timeout: 240_000 });

after(async () => {
  await browser?.close();
  await portal?.stop();
});

const main = (page) => page.locator("main");

/** axe on the current page: no violation at all. */
async function noViolations(page, where) {
  const violations = await axeViolations(page);
  assert.equal(violations.length, 0, describe(violations, where));
}

/** A `datetime-local` value in Japan time, `minutes` from now. */
function jstLocal(minutes) {
  const jst = new Date(Date.now() + minutes * 60_000 + 9 * 3_600_000);
  return jst.toISOString().slice(0, 16);
}

/** Fills the session form's date fields and saves; lands on the session's admin page. */
async function saveTimes(page, startsIn, deadlineIn, button) {
  await page.getByLabel("開始日時(日本時間)").fill(jstLocal(startsIn));
  await page.getByLabel("申込締切(日本時間)").fill(jstLocal(deadlineIn));
  await main(page).getByRole("button", { name: button, exact: true }).click();
  await page.waitForURL((url) => /^\/admin\/live\/[0-9a-f-]{36}$/.test(url.pathname));
  await flows.expectNoErrorPage(page, `saving the session (${button})`);
}

test("one seat: register, wait, cancel, promote; keyword and comprehension check complete it", { timeout: 300_000 }, async () => {
  const { admin, learner: learnerA, manager } = people;

  // The administrator creates the session from /admin/live.
  await admin.page.goto("/live");
  await noViolations(admin.page, "/live (demo sessions)");
  await admin.page.getByRole("navigation").getByRole("link", { name: "オンライン研修" }).click();
  await main(admin.page).getByRole("link", { name: "オンライン研修の管理" }).click();
  await flows.expectPath(admin.page, "/admin/live", "the administration link");
  await noViolations(admin.page, "/admin/live");
  await admin.page.getByLabel("対象", { exact: true }).selectOption("administrator");
  await admin.page.getByLabel("研修名(日本語)").fill(TITLE);
  await admin.page.getByLabel("研修名(英語)").fill("E2E live session");
  await admin.page.getByLabel("講師", { exact: true }).fill("講師 E");
  await admin.page.getByLabel("所要時間(分)").fill("60");
  await admin.page.getByLabel("定員").fill("1");
  await admin.page.getByLabel("参加URL").fill(MEETING);
  await admin.page.getByLabel("出席キーワード(研修中に講師が案内します)").fill(KEYWORD);
  await admin.page.getByLabel("確認テスト(組み込みモジュールの問題から出題)").selectOption(QUIZ.join("/"));
  await admin.page.getByLabel("確認テストの出題数").fill("3");
  await saveTimes(admin.page, 3 * 24 * 60, 2 * 24 * 60, "作成");
  const adminUrl = new URL(admin.page.url()).pathname;
  const id = adminUrl.split("/").pop();
  const page = `/live/${id}`;
  await noViolations(admin.page, "/admin/live/{id}");

  // Learner A takes the one seat, sees the link and downloads the calendar file.
  await learnerA.page.goto("/live");
  await main(learnerA.page).getByRole("link", { name: TITLE }).click();
  await flows.expectPath(learnerA.page, page, "the session link");
  assert.ok(!(await main(learnerA.page).innerText()).includes(MEETING), "no meeting link before registering");
  await noViolations(learnerA.page, "/live/{id} (not registered)");
  await main(learnerA.page).getByRole("button", { name: "申し込む" }).click();
  await flows.expectPath(learnerA.page, page, "after registering");
  await main(learnerA.page).getByRole("status").filter({ hasText: "参加確定" }).waitFor();
  await main(learnerA.page).getByRole("link", { name: MEETING }).waitFor();
  await noViolations(learnerA.page, "/live/{id} (confirmed)");
  const [download] = await Promise.all([
    learnerA.page.waitForEvent("download"),
    main(learnerA.page).getByRole("link", { name: "カレンダーに追加(.ics)" }).click(),
  ]);
  const ics = fs.readFileSync(await download.path(), "utf8");
  assert.ok(ics.startsWith("BEGIN:VCALENDAR\r\n") && ics.includes("BEGIN:VEVENT\r\n"), ics);
  assert.ok(ics.includes(`URL:${MEETING}\r\n`), `the calendar file carries the meeting link:\n${ics}`);
  assert.match(ics, /DTSTART:\d{8}T\d{6}Z\r\n/);

  // Learner B joins the waiting list and does not see the link.
  await learnerB.page.goto(page);
  await main(learnerB.page).getByRole("button", { name: "キャンセル待ちで申し込む" }).click();
  await flows.expectPath(learnerB.page, page, "after joining the waiting list");
  await main(learnerB.page).getByRole("status").filter({ hasText: "キャンセル待ち" }).waitFor();
  assert.ok(!(await main(learnerB.page).innerText()).includes(MEETING), "no meeting link on the waiting list");
  await noViolations(learnerB.page, "/live/{id} (waiting)");

  // A cancels: B is promoted and sees the link.
  await main(learnerA.page).getByRole("button", { name: "申し込みを取り消す" }).click();
  await flows.expectPath(learnerA.page, page, "after cancelling");
  assert.ok(!(await main(learnerA.page).innerText()).includes(MEETING), "A no longer sees the meeting link");
  await learnerB.page.reload();
  await main(learnerB.page).getByRole("status").filter({ hasText: "参加確定" }).waitFor();
  await main(learnerB.page).getByRole("link", { name: MEETING }).waitFor();

  // The queue on /admin/live holds B's promotion message.
  await admin.page.goto("/admin/live");
  assert.ok((await main(admin.page).innerText()).includes("キャンセル待ちから参加が確定しました"), "the promotion is queued");

  // The session is moved to have started ten minutes ago, so the keyword is accepted.
  await admin.page.goto(adminUrl);
  await saveTimes(admin.page, -10, -20, "保存");

  // B enters the keyword (a wrong one first), then passes the comprehension check.
  await learnerB.page.goto(page);
  await learnerB.page.getByLabel("出席キーワード").fill("ちがう");
  await main(learnerB.page).getByRole("button", { name: "出席を記録する" }).click();
  await main(learnerB.page).getByRole("alert").filter({ hasText: "キーワードが違います。" }).waitFor();
  await noViolations(learnerB.page, "/live/{id} (keyword error)");
  await learnerB.page.getByLabel("出席キーワード").fill(KEYWORD);
  await main(learnerB.page).getByRole("button", { name: "出席を記録する" }).click();
  await flows.expectPath(learnerB.page, page, "after the keyword");
  await main(learnerB.page).getByRole("status").filter({ hasText: "出席済み" }).waitFor();
  await main(learnerB.page).getByRole("link", { name: "確認テストを受ける" }).click();
  await flows.expectPath(learnerB.page, `${page}/quiz`, "the comprehension check");
  await noViolations(learnerB.page, "/live/{id}/quiz");
  const answered = await answerCorrectly(learnerB.page, ...QUIZ);
  assert.equal(answered, 3, "three questions drawn");
  await main(learnerB.page).getByRole("button", { name: "解答を送信" }).click();
  await learnerB.page.waitForURL((url) => url.pathname.startsWith(`${page}/quiz/`));
  assert.match(await main(learnerB.page).locator("h1").innerText(), /^合格: 得点 100%$/);
  await main(learnerB.page).getByRole("status").filter({ hasText: "受講が記録されました" }).waitFor();
  await noViolations(learnerB.page, "/live/{id}/quiz/{attempt} (result)");

  // The manager's roster shows B as attended by keyword.
  await manager.page.goto(page);
  await main(manager.page).getByRole("link", { name: "出席簿" }).click();
  await flows.expectPath(manager.page, `${page}/roster`, "the roster link");
  const roster = await main(manager.page).locator("table").innerText();
  assert.ok(roster.includes("学習 次郎") && roster.includes("出席済み") && roster.includes("キーワード"), roster);
  await noViolations(manager.page, "/live/{id}/roster");

  // The English pages pass axe too.
  await learnerB.page.goto(`${page}?lang=en`);
  await main(learnerB.page).getByRole("status").filter({ hasText: "Attended" }).waitFor();
  await noViolations(learnerB.page, "/live/{id} (English)");
  await learnerB.page.goto("/live?lang=en");
  await noViolations(learnerB.page, "/live (English)");
});

test("phone layout: the live-session pages do not scroll sideways at 375 px", { timeout: 120_000 }, async () => {
  const { admin, learner } = people;
  await learner.page.goto("/live");
  const first = await main(learner.page).locator("table a").first().getAttribute("href");
  const pages = [
    [learner, "/live"],
    [learner, first],
    [admin, "/admin/live"],
    [admin, `/admin${first}`],
    [admin, `${first}/roster`],
  ];
  const found = [];
  for (const [person, path] of pages) {
    await person.page.goto(path);
    await flows.expectNoErrorPage(person.page, `GET ${path}`);
    const overflow = await phoneOverflow(person.page);
    if (overflow.scrollWidth > overflow.viewport) {
      found.push(`${path}: ${overflow.scrollWidth} px wide: ` + overflow.elements.map((e) => `<${e.tag}> ${e.text}`).join(", "));
    }
  }
  assert.deepEqual(found, [], found.join("\n"));
});
