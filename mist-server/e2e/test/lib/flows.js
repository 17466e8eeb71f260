"use strict";
// What people do in the portal, step by step through the interface (Japanese, the default language).
const assert = require("node:assert/strict");
const { answerCorrectly, lessonCount } = require("./quiz.js");

const PASSWORD = "e2e-password-0123";

function pathOf(page) {
  return new URL(page.url()).pathname;
}

async function expectPath(page, expected, what) {
  await page.waitForURL((url) => url.pathname === expected, { timeout: 15_000 }).catch(() => {});
  assert.equal(pathOf(page), expected, `${what}: expected to be on ${expected}, but the page is ${page.url()}`);
}

/** Fails with the portal's own error text when the last action landed on an error page. */
async function expectNoErrorPage(page, what) {
  const title = await page.title();
  if (/^\d{3}$/.test(title)) {
    const body = (await page.locator("body").innerText()).trim();
    assert.fail(`${what}: the portal answered ${title}: ${body}`);
  }
}

function main(page) {
  return page.locator("main");
}

/** The one-time link: GET shows a button only; clicking it signs in and asks for a password. */
async function useSignInLink(page, link) {
  await page.goto(link);
  await expectNoErrorPage(page, "opening the one-time sign-in link");
  assert.equal(await main(page).locator("h1").innerText(), "ログイン");
  await main(page).getByRole("button", { name: "ログイン" }).click();
  await expectPath(page, "/account/password", "after using the one-time link");
}

async function setPassword(page, password = PASSWORD) {
  if (pathOf(page) !== "/account/password") {
    await page.goto("/account/password");
  }
  await page.getByLabel("新しいパスワード(10文字以上)").fill(password);
  await main(page).getByRole("button", { name: "保存" }).click();
  await expectPath(page, "/", "after saving the password");
  await expectNoErrorPage(page, "saving the password");
}

/** Reads the link from the notice shown after an invitation. */
async function noticeLink(page, portalUrl, label) {
  const notice = page.getByRole("status");
  await notice.waitFor();
  const input = notice.getByRole("textbox", { name: label });
  const url = await input.inputValue();
  assert.ok(url.startsWith(`${portalUrl}/join/`), `the ${label} points at this portal's /join/: ${url}`);
  return url;
}

/** `/admin`: a new organization and its first manager's invitation link (from the notice). */
async function createOrganization(page, portalUrl, { name, prefecture, managerEmail }) {
  await page.getByRole("navigation").getByRole("link", { name: "運営管理" }).click();
  await expectPath(page, "/admin", "the administration link");
  await page.getByLabel("施設名", { exact: true }).fill(name);
  await page.getByLabel("施設種別").selectOption("hospital");
  await page.getByLabel("都道府県").fill(prefecture);
  await page.getByLabel("管理者のメールアドレス").fill(managerEmail);
  await main(page).getByRole("button", { name: "作成" }).click();
  await expectNoErrorPage(page, "creating the organization");
  const url = await noticeLink(page, portalUrl, "管理者の招待リンク");
  assert.ok(
    (await main(page).locator("table").innerText()).includes(name),
    "the new organization is listed on /admin",
  );
  return url;
}

/** `/join/{token}`: the invited person signs up (the address comes from the invitation). */
async function acceptInvitation(page, url, { email, name, kana, password = PASSWORD }) {
  await page.goto(url);
  await expectNoErrorPage(page, "opening the invitation");
  assert.equal(await main(page).locator("strong").first().innerText(), email, "the invitation shows the invited address");
  await page.getByLabel("氏名(漢字)").fill(name);
  if (kana) {
    await page.getByLabel("ふりがな").fill(kana);
  }
  await page.getByLabel("新しいパスワード(10文字以上)").fill(password);
  await main(page).getByRole("button", { name: "アカウント作成" }).click();
  await expectPath(page, "/", "after accepting the invitation");
  await expectNoErrorPage(page, "accepting the invitation");
  await page.getByRole("navigation").getByRole("link", { name: "マイページ" }).waitFor();
}

/** `/join`: sign-up with the organization code. */
async function joinWithCode(page, { code, email, name, password = PASSWORD }) {
  await page.goto("/join");
  await page.getByLabel("施設コード").fill(code);
  await page.getByLabel("メールアドレス").fill(email);
  await page.getByLabel("氏名(漢字)").fill(name);
  await page.getByLabel("新しいパスワード(10文字以上)").fill(password);
  await main(page).getByRole("button", { name: "アカウント作成" }).click();
  await expectPath(page, "/", "after signing up with the organization code");
  await expectNoErrorPage(page, "signing up with the organization code");
}

/** `/manage`: invites a person and returns the invitation link from the notice. */
async function invite(page, portalUrl, email, role = "learner") {
  await page.getByRole("navigation").getByRole("link", { name: "施設管理" }).click();
  await expectPath(page, "/manage", "the manage link");
  await page.locator("#invite-email").fill(email);
  await page.getByLabel("権限").selectOption(role);
  await main(page).getByRole("button", { name: "招待する" }).click();
  await expectNoErrorPage(page, "inviting");
  return noticeLink(page, portalUrl, "招待リンク");
}

async function signOut(page) {
  await page.getByRole("navigation").getByRole("button", { name: "ログアウト" }).click();
  await expectPath(page, "/", "after signing out");
  await page.getByRole("navigation").getByRole("link", { name: "ログイン" }).waitFor();
}

async function signIn(page, email, password = PASSWORD) {
  await page.goto("/login");
  await page.getByLabel("メールアドレス").fill(email);
  await page.getByLabel("パスワード", { exact: true }).fill(password);
  await main(page).getByRole("button", { name: "ログイン" }).click();
  await page.waitForURL((url) => url.pathname !== "/login", { timeout: 15_000 }).catch(() => {});
  assert.notEqual(pathOf(page), "/login", `signing in as ${email} failed: ${await main(page).innerText()}`);
  await expectNoErrorPage(page, `signing in as ${email}`);
}

/**
 * From the course page: enrol if needed, open the module in the player and click "→" through every
 * lesson. Ends on the last lesson; returns the lesson titles seen. `lessons`: the module's lesson count
 * (default: from the built-in series).
 */
async function studyModule(page, course, module, { lessons = lessonCount(course, module) } = {}) {
  await page.goto(`/courses/${course}`);
  const enroll = main(page).getByRole("button", { name: "受講を開始する" });
  if (await enroll.count()) {
    await enroll.click();
    await expectPath(page, `/courses/${course}`, "after enrolling");
  }
  const item = main(page).locator("ol > li").filter({ has: page.locator(`a[href="/courses/${course}/modules/${module}"]`) });
  await item.getByRole("link", { name: "学習する" }).click();
  await expectPath(page, `/learn/${course}/${module}`, "the study link");
  const titles = [await main(page).locator("h1").innerText()];
  // The pager's forward link ("→"; it may gain a text label, so match the arrow).
  const next = main(page).locator(".pager a").filter({ hasText: "→" });
  while (await next.count()) {
    await next.click();
    await page.waitForLoadState("load");
    await expectNoErrorPage(page, "the next lesson");
    titles.push(await main(page).locator("h1").innerText());
    assert.ok(titles.length <= 50, "the → link ends after a reasonable number of lessons");
  }
  assert.equal(titles.length, lessons, `every lesson of ${module} was shown once: ${titles.join(" / ")}`);
  assert.equal(new Set(titles).size, titles.length, `each → showed a new lesson: ${titles.join(" / ")}`);
  // Every lesson is ticked as viewed in the lesson list.
  const ticks = await main(page).locator("nav li").filter({ hasText: "✓" }).count();
  assert.equal(ticks, titles.length, "the lesson list marks every lesson as viewed");
  return titles;
}

/**
 * From the last lesson: open the quiz, answer every question right, submit; expects 合格 and, unless
 * `moduleDone` is false, the module's 修了 (completed) status; with `moduleDone: false`, expects none.
 * `key`: the answer key (default: the built-in series' one).
 */
async function passQuiz(page, course, module, { key, moduleDone = true } = {}) {
  await main(page).locator(".pager").getByRole("link", { name: "確認テストを受ける" }).click();
  await expectPath(page, `/learn/${course}/${module}/quiz`, "the quiz link");
  await expectNoErrorPage(page, "opening the quiz");
  const answered = await answerCorrectly(page, course, module, key);
  await main(page).getByRole("button", { name: "解答を送信" }).click();
  await page.waitForURL((url) => url.pathname.startsWith(`/learn/${course}/${module}/quiz/`));
  await expectNoErrorPage(page, "submitting the quiz");
  const heading = await main(page).locator("h1").innerText();
  assert.match(heading, /^合格: 得点 100%$/, `the result says 合格 (passed) with every answer right (${answered} questions)`);
  if (moduleDone) {
    await main(page).getByRole("status").filter({ hasText: "修了" }).waitFor();
  } else {
    const done = await main(page).getByRole("status").filter({ hasText: "修了" }).count();
    assert.equal(done, 0, `the quiz result must not say 修了 (module completed): ${await main(page).innerText()}`);
  }
  return answered;
}

/**
 * An administrator, a new organization with its manager (invited from /admin) and a learner (invited
 * from /manage), each signed in in their own browser context.
 */
async function setupOrganization(browser, portal, newPerson, tag = "fixture") {
  const admin = { ...(await newPerson(browser, portal.url)), email: portal.adminEmail };
  await useSignInLink(admin.page, portal.adminLink);
  await setPassword(admin.page);
  const managerEmail = `manager-${tag}@hospital.example.jp`;
  const managerLink = await createOrganization(admin.page, portal.url, {
    name: `E2E 記念病院 ${tag}`,
    prefecture: "徳島県",
    managerEmail,
  });
  const manager = { ...(await newPerson(browser, portal.url)), email: managerEmail };
  await acceptInvitation(manager.page, managerLink, { email: managerEmail, name: "管理 花子", kana: "かんり はなこ" });
  const learnerEmail = `learner-${tag}@hospital.example.jp`;
  const learnerLink = await invite(manager.page, portal.url, learnerEmail, "learner");
  const learner = { ...(await newPerson(browser, portal.url)), email: learnerEmail };
  await acceptInvitation(learner.page, learnerLink, { email: learnerEmail, name: "学習 太郎", kana: "がくしゅう たろう" });
  return { admin, manager, learner };
}

module.exports = {
  setupOrganization,
  PASSWORD,
  pathOf,
  expectPath,
  expectNoErrorPage,
  useSignInLink,
  setPassword,
  createOrganization,
  acceptInvitation,
  joinWithCode,
  invite,
  signOut,
  signIn,
  studyModule,
  passQuiz,
};
