"use strict";
// The incident desk 「インシデントかも？」 in headless Chromium: a visitor files an urgent report with
// JavaScript DISABLED (the form must work at 2 a.m. on any browser), a responder takes it through the
// desk, another organization's manager is refused, and axe checks every page of the feature.
//
// Run: cd mist-server/e2e && MIST_BIN=/path/to/mist node --test test/incident.test.js
const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const { startPortal } = require("./lib/portal.js");
const { launchBrowser, newPerson } = require("./lib/browser.js");
const { axeViolations, describe } = require("./lib/axe.js");
const flows = require("./lib/flows.js");

const TEST_TIMEOUT_MS = 180_000;

let portal;
let browser;
let people;
let visitor;
let otherManager;
let ticket;
let followupLink;

before(async () => {
  portal = await startPortal();
  browser = await launchBrowser();
  people = await flows.setupOrganization(browser, portal, newPerson, "incident");
  // The administrator grants the responder capability to themselves.
  await people.admin.page.goto("/admin/responders");
  await people.admin.page.locator("#responder-email").fill(portal.adminEmail);
  await people.admin.page.locator("main").getByRole("button", { name: "対応者にする" }).click();
  await flows.expectNoErrorPage(people.admin.page, "granting the responder capability");
  // A second hospital and its manager.
  await people.admin.page.goto("/");
  const link = await flows.createOrganization(people.admin.page, portal.url, {
    name: "E2E 別病院",
    prefecture: "大阪府",
    managerEmail: "manager-other@hospital.example.jp",
  });
  otherManager = await newPerson(browser, portal.url);
  await flows.acceptInvitation(otherManager.page, link, { email: "manager-other@hospital.example.jp", name: "別院 管理", kana: "べついん かんり" });
  visitor = await newPerson(browser, portal.url, { javaScriptEnabled: false });
}, { timeout: 240_000 });

after(async () => {
  await browser?.close();
  await portal?.stop();
});

/** Fills the ★ fields of the urgent form on `page` (works with or without JavaScript). */
async function fillUrgentForm(page, facility) {
  const field = (name) => page.locator(`#f-${name}`);
  const tick = (name, value) => page.locator(`input[name="${name}"][value="${value}"]`).check();
  await field("facility_name").fill(facility);
  await field("facility_kind").selectOption("hospital");
  await field("prefecture").selectOption("徳島県");
  await field("city").fill("つるぎ町");
  await field("reporter_name").fill("当直 A");
  await field("reporter_role").fill("当直看護師長");
  await field("phone").fill("090-0000-0000");
  await field("alt_email").fill("duty@example.org");
  await field("discovered_at").fill("2026-11-20T02:10");
  await field("discovery").selectOption("printer_output");
  await tick("observed", "ransom_note");
  await field("observed_text").fill("全プリンターから英語の脅迫文が印刷され続けている");
  await tick("systems", "ehr");
  await tick("containment", "none");
  await tick("backups", "unknown");
  await tick("care_impact", "paper");
  await tick("leak", "suspected");
  await tick("support", "remote_advice");
  await tick("urgency", "critical");
  await tick("consent", "yes");
}

test("1. a visitor without JavaScript files an urgent report and gets a ticket, the phone number and guidance", { timeout: TEST_TIMEOUT_MS }, async () => {
  const page = visitor.page;
  await page.goto("/");
  await page.getByRole("navigation").getByRole("link", { name: "インシデントかも？" }).click();
  assert.equal(new URL(page.url()).pathname, "/incident");
  await fillUrgentForm(page, "E2E 夜間病院");
  await page.locator("main").getByRole("button", { name: "報告を送信する" }).click();
  await flows.expectNoErrorPage(page, "filing the report");
  const main = await page.locator("main").innerText();
  ticket = (await page.locator(".ticket-number").innerText()).trim();
  assert.match(ticket, /^INC-\d{4}-\d{6}$/);
  for (const expected of ["03-0000-0000", "LAN ケーブルを抜く", "電源は切らないでください", "保守事業者に連絡", "個人情報保護委員会"]) {
    assert.ok(main.includes(expected), `the confirmation shows ${expected}`);
  }
  followupLink = await page.locator("#followup-link").inputValue();
  assert.ok(followupLink.startsWith(`${portal.url}/incident/t/`), followupLink);
  // The follow-up link opens the full intake, still without JavaScript.
  await page.goto(followupLink);
  await flows.expectNoErrorPage(page, "opening the follow-up link");
  assert.equal(await page.locator("#f-facility_name").inputValue(), "E2E 夜間病院");
  await page.locator("#f-insurance_code").fill("3612345678");
  await page.locator("#f-vendor-name-0").fill("保守事業者 A（例）");
  await page.locator("main form.intake").getByRole("button", { name: "保存する" }).click();
  await flows.expectNoErrorPage(page, "saving the full intake");
  assert.equal(await page.locator("#f-vendor-name-0").inputValue(), "保守事業者 A（例）");
  assert.equal(await page.locator("#f-vendor-name-1").inputValue(), "", "an empty row to add the next vendor");
});

test("2. a responder takes the ticket from the queue and moves it to 初動助言 with a note", { timeout: TEST_TIMEOUT_MS }, async () => {
  assert.ok(ticket, "test 1 filed a ticket");
  const page = people.admin.page;
  await page.goto("/desk");
  await flows.expectNoErrorPage(page, "opening the desk");
  await page.locator("main").getByRole("link", { name: ticket }).click();
  await flows.expectNoErrorPage(page, "opening the ticket");
  await page.locator("main").getByRole("button", { name: "自分が担当する" }).click();
  await flows.expectNoErrorPage(page, "assigning the ticket");
  assert.notEqual((await page.locator(".ticket-assignee").innerText()).trim(), "—");
  await page.locator("#d-to").selectOption("advising");
  await page.locator("#d-note").fill("LAN ケーブルを抜き、電源は入れたままにするよう電話で助言");
  await page.locator("main").getByRole("button", { name: "状態を変更" }).click();
  await flows.expectNoErrorPage(page, "moving the ticket to 初動助言");
  assert.equal((await page.locator(".ticket-status").innerText()).trim(), "初動助言");
  const timeline = await page.locator("main").innerText();
  assert.ok(timeline.includes("電話で助言"), "the note is in the timeline");
});

test("3. another organization's manager and the visitor are refused with 404", { timeout: TEST_TIMEOUT_MS }, async () => {
  for (const [who, page] of [["other manager", otherManager.page], ["visitor", visitor.page]]) {
    for (const path of [`/incident/tickets/${ticket}`, `/desk/${ticket}`, "/desk"]) {
      const response = await page.goto(path);
      assert.equal(response.status(), 404, `${who} GET ${path}`);
    }
  }
});

test("4. accessibility: axe finds no violation on the desk's pages", { timeout: TEST_TIMEOUT_MS }, async () => {
  // axe runs in the page, so these checks use a context with JavaScript.
  const reader = await newPerson(browser, portal.url);
  const pages = [];
  const check = async (name, page, path) => {
    if (path) {
      const response = await page.goto(path);
      assert.equal(response.status(), 200, `GET ${path}`);
    }
    pages.push([name, await axeViolations(page)]);
  };
  await check("urgent form", reader.page, "/incident");
  await check("urgent form (English)", reader.page, "/incident?lang=en");
  await reader.page.goto("/incident?lang=ja");
  await fillUrgentForm(reader.page, "E2E 確認病院");
  await reader.page.locator("#f-phone").fill("");
  await reader.page.locator("main").getByRole("button", { name: "報告を送信する" }).evaluate((b) => b.closest("form").setAttribute("novalidate", ""));
  await reader.page.locator("main").getByRole("button", { name: "報告を送信する" }).click();
  await check("form with problems", reader.page, null);
  await reader.page.locator("#f-phone").fill("090-0000-0000");
  await reader.page.locator("main").getByRole("button", { name: "報告を送信する" }).click();
  await check("confirmation", reader.page, null);
  await check("follow-up form", reader.page, new URL(followupLink).pathname);
  await check("queue", people.admin.page, "/desk");
  await check("ticket (desk)", people.admin.page, `/desk/${ticket}`);
  await check("ticket (intake)", people.admin.page, `/incident/tickets/${ticket}`);
  await check("responders", people.admin.page, "/admin/responders");
  // Zero violations of any impact: the desk's pages are new, so they start clean.
  const failures = pages.filter(([, violations]) => violations.length).map(([name, violations]) => describe(violations, name));
  assert.equal(failures.length, 0, `axe violations:\n${failures.join("\n")}`);
  await reader.context.close();
});
