"use strict";
// The public portal in headless Chromium against a fresh `mist serve`: an administrator uploads a
// material, a visitor searches and downloads it, sends an inquiry and writes to an instructor; the
// administrator sees both in the inbox and moves one along the status flow. axe runs on every portal
// page (Japanese and English) and must find nothing at all.
//
// Run: cd mist-server/e2e && MIST_BIN=/path/to/mist node --test test/portal.test.js
const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const { startPortal } = require("./lib/portal.js");
const { launchBrowser, newPerson, phoneOverflow } = require("./lib/browser.js");
const { axeViolations, describe } = require("./lib/axe.js");
const flows = require("./lib/flows.js");

const TEST_TIMEOUT_MS = 120_000;
/** A little more than the server's minimum time between showing a form and sending it. */
const FILL_TIME_MS = 3_500;
const CSV = "項目,確認日\r\nVPN機器のファームウェア更新,2024-05-13\r\n";

let portal;
let browser;
let admin;
let visitor;

before(async () => {
  portal = await startPortal();
  browser = await launchBrowser();
  admin = await newPerson(browser, portal.url);
  await flows.useSignInLink(admin.page, portal.adminLink);
  await flows.setPassword(admin.page);
  visitor = await newPerson(browser, portal.url);
}, { timeout: 120_000 });

after(async () => {
  await browser?.close();
  await portal?.stop();
});

function main(page) {
  return page.locator("main");
}

test("1. an administrator uploads a material; a refused type says why", { timeout: TEST_TIMEOUT_MS }, async () => {
  const page = admin.page;
  await page.goto("/admin");
  await main(page).getByRole("link", { name: "コンテンツ集の管理" }).click();
  await flows.expectPath(page, "/admin/contents", "the contents admin link");
  const fill = async (file) => {
    await page.getByLabel("ファイル", { exact: true }).setInputFiles(file);
    await page.getByLabel("種類").selectOption("checklist");
    await main(page).getByRole("checkbox", { name: "システム・セキュリティ管理者" }).check();
    await page.getByLabel("タイトル(日本語)").fill("E2E点検表:VPN機器");
    await page.getByLabel("タイトル(英語)").fill("E2E check sheet: VPN devices");
    await page.getByLabel("説明(日本語)").fill("ファームウェアの更新日を記録します。");
  };
  await fill({ name: "tool.csv", mimeType: "text/csv", buffer: Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03]) });
  await main(page).getByRole("button", { name: "登録" }).click();
  await main(page).getByRole("alert").waitFor();
  assert.match(await main(page).innerText(), /受け付けられない形式です/);
  assert.equal(await page.getByLabel("ファイル", { exact: true }).getAttribute("aria-invalid"), "true");

  await fill({ name: "e2e-checklist.csv", mimeType: "text/csv", buffer: Buffer.from(CSV, "utf8") });
  await main(page).getByRole("button", { name: "登録" }).click();
  await main(page).getByRole("status").waitFor();
  assert.match(await main(page).getByRole("status").innerText(), /登録しました/);
  assert.match(await main(page).locator("table").innerText(), /E2E点検表:VPN機器/);
});

test("2. a visitor searches the collection and downloads the material", { timeout: TEST_TIMEOUT_MS }, async () => {
  const page = visitor.page;
  await page.goto("/");
  await page.locator("footer").getByRole("link", { name: "コンテンツ集" }).click();
  await flows.expectPath(page, "/contents", "the footer link");
  await page.getByLabel("キーワード").fill("ｅ２ｅ点検"); // full-width: folded like the stored text
  await page.getByLabel("対象").selectOption("administrator");
  await main(page).getByRole("button", { name: "検索" }).click();
  const result = main(page).locator("article", { hasText: "E2E点検表:VPN機器" });
  await result.waitFor();
  assert.equal(await main(page).locator("article").count(), 1, "only the matching material");
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    result.getByRole("link", { name: /ダウンロード/ }).click(),
  ]);
  assert.match(download.suggestedFilename(), /\.csv$/);
  assert.equal(fs.readFileSync(await download.path(), "utf8"), CSV);
});

/** Fills the message form a person's way (the server refuses posts faster than a person types). */
async function fillMessage(page, { name, email, message }) {
  await page.getByLabel("お名前").fill(name);
  await page.getByLabel("ご所属(施設名など)").fill("E2E 記念病院");
  await page.getByLabel("返信先メールアドレス").fill(email);
  await page.getByLabel("内容").fill(message);
  await page.waitForTimeout(FILL_TIME_MS);
}

test("3. a visitor sends an inquiry and writes to an engineer", { timeout: TEST_TIMEOUT_MS }, async () => {
  const page = visitor.page;
  await page.locator("footer").getByRole("link", { name: "お問い合わせ" }).click();
  await flows.expectPath(page, "/contact", "the footer link");
  // The honeypot is out of the accessibility tree and out of the tab order.
  assert.equal(await page.getByRole("textbox", { name: "この欄は空のままにしてください" }).count(), 0);
  assert.equal(await page.locator("input[name=website]").getAttribute("tabindex"), "-1");
  await page.getByLabel("お問い合わせの種別").selectOption("contents");
  await fillMessage(page, { name: "来訪 一郎", email: "visitor@hospital.example.jp", message: "点検表の改変について教えてください。" });
  await main(page).getByRole("button", { name: "送信する" }).click();
  await main(page).getByRole("heading", { name: "送信しました" }).waitFor();

  await page.locator("footer").getByRole("link", { name: "講師・技術者" }).click();
  await page.getByLabel("地方").selectOption("shikoku");
  await main(page).getByRole("button", { name: "検索" }).click();
  const entry = main(page).locator("article", { hasText: "技術者 B" });
  await entry.getByRole("link", { name: /この講師・技術者に連絡する/ }).click();
  await main(page).getByRole("heading", { name: "この講師・技術者に連絡する" }).waitFor();
  assert.doesNotMatch(await main(page).innerText(), /@/, "no address of the engineer is shown");
  await fillMessage(page, { name: "来訪 二郎", email: "second@hospital.example.jp", message: "VPN機器の点検を相談したいです。" });
  await main(page).getByRole("button", { name: "送信する" }).click();
  await main(page).getByRole("heading", { name: "送信しました" }).waitFor();
});

test("4. the administrator finds both messages in the inbox and moves one along", { timeout: TEST_TIMEOUT_MS }, async () => {
  const page = admin.page;
  await page.goto("/admin");
  await main(page).getByRole("link", { name: "お問い合わせ受付" }).click();
  await flows.expectPath(page, "/admin/inquiries", "the inbox link");
  const table = await main(page).locator("table").innerText();
  assert.match(table, /来訪 一郎/);
  assert.match(table, /講師・技術者への連絡: 技術者 B/);
  await main(page).getByRole("link", { name: /来訪 二郎/ }).click();
  assert.match(await main(page).innerText(), /VPN機器の点検を相談したいです。/);
  await page.getByLabel("状態").selectOption("in_progress");
  await page.getByLabel("内部メモ(送信者には表示されません)").fill("技術者 B に転送済み");
  await main(page).getByRole("button", { name: "保存" }).click();
  await main(page).getByRole("status").waitFor();
  await page.goto("/admin/inquiries?status=in_progress");
  const progressing = await main(page).locator("table").innerText();
  assert.match(progressing, /来訪 二郎/);
  assert.doesNotMatch(progressing, /来訪 一郎/);
});

test("5. axe finds no violation on any portal page, and none scrolls sideways on a phone", { timeout: TEST_TIMEOUT_MS }, async () => {
  await admin.page.goto("/admin/inquiries");
  const firstMessage = await main(admin.page).getByRole("link", { name: /来訪/ }).first().getAttribute("href");
  await visitor.page.goto("/experts");
  const expertContact = await main(visitor.page).getByRole("link", { name: /この講師・技術者に連絡する/ }).first().getAttribute("href");
  const pages = [];
  for (const lang of ["ja", "en"]) {
    pages.push(
      [visitor.page, "/contents"],
      [visitor.page, "/contents?q=zzzz-nothing"],
      [visitor.page, "/experts"],
      [visitor.page, expertContact],
      [visitor.page, "/resources"],
      [visitor.page, "/contact"],
      [admin.page, "/admin/contents"],
      [admin.page, "/admin/experts"],
      [admin.page, "/admin/resources"],
      [admin.page, "/admin/inquiries"],
      [admin.page, firstMessage],
    );
    pages.push([lang, null]);
  }
  const failures = [];
  let lang = "ja";
  for (const [page, path] of pages) {
    if (path === null) {
      lang = "en";
      continue;
    }
    const url = `${path}${path.includes("?") ? "&" : "?"}lang=${lang}`;
    const response = await page.goto(url);
    assert.equal(response.status(), 200, url);
    const violations = await axeViolations(page);
    if (violations.length) {
      failures.push(describe(violations, url));
    }
    const phone = await phoneOverflow(page);
    if (phone.scrollWidth > phone.viewport) {
      failures.push(`${url}: scrolls sideways at 375 px: ${JSON.stringify(phone.elements)}`);
    }
  }
  // A form shown again with problems (sent too soon, nothing filled in).
  await visitor.page.goto("/contact?lang=ja");
  await main(visitor.page).getByRole("button", { name: "送信する" }).evaluate((button) => button.form.noValidate = true);
  await main(visitor.page).getByRole("button", { name: "送信する" }).click();
  await main(visitor.page).getByRole("alert").waitFor();
  const refused = await axeViolations(visitor.page);
  if (refused.length) {
    failures.push(describe(refused, "/contact with problems"));
  }
  assert.equal(failures.length, 0, `axe violations:\n${failures.join("\n")}`);
});

test("6. a file over the limit gets the form back with a clear message (413), not a broken connection", { timeout: TEST_TIMEOUT_MS }, async () => {
  const small = await startPortal({ args: ["--max-content-mb", "1"] });
  try {
    const { context, page } = await newPerson(browser, small.url);
    await flows.useSignInLink(page, small.adminLink);
    await flows.setPassword(page);
    await page.goto("/admin/contents");
    await page.getByLabel("ファイル", { exact: true }).setInputFiles({
      name: "large.pdf",
      mimeType: "application/pdf",
      buffer: Buffer.concat([Buffer.from("%PDF-1.4\n"), Buffer.alloc(4 * 1024 * 1024, 0x20)]),
    });
    await page.getByLabel("タイトル(日本語)").fill("大きな資料");
    await page.getByLabel("タイトル(英語)").fill("A large file");
    const [response] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === "/admin/contents" && r.request().method() === "POST"),
      main(page).getByRole("button", { name: "登録" }).click(),
    ]);
    assert.equal(response.status(), 413);
    await main(page).getByRole("alert").waitFor();
    assert.ok((await main(page).innerText()).includes("ファイルが大きすぎます(最大 1 MB)。"), "the size limit is named");
    await context.close();
  } finally {
    await small.stop();
  }
});
