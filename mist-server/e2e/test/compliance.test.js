"use strict";
// Compliance in headless Chromium: a manager uploads a Shift_JIS staff roster, reads the dashboard
// (server-drawn SVG charts with titles, descriptions and a data table), downloads the CSV, and axe
// finds no WCAG 2.1 A/AA violation at all on the roster and dashboard pages.
const fs = require("node:fs");
const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const { startPortal } = require("./lib/portal.js");
const { launchBrowser, newPerson } = require("./lib/browser.js");
const { axeViolations, describe } = require("./lib/axe.js");
const flows = require("./lib/flows.js");

const TEST_TIMEOUT_MS = 240_000;

// A roster as Excel in Japan saves it: Shift_JIS (cp932), CRLF. Decoded, it reads:
//   職員番号,氏名,カナ,メール,部署,職種,雇用形態,対象,階層,入職日,退職日
//   E001,学習 太郎,ガクシュウ タロウ,learner-compliance@hospital.example.jp,3階病棟,看護師,常勤,対象,初学者,2020-04-01,
//   E002,事務 次郎,ジム ジロウ,,医事課,事務,非常勤,対象,初学者;経営者,2021-04-01,
//   E003,委託 三郎,,,情報システム室,技師,委託,対象外,管理者,,
const ROSTER_SHIFT_JIS = Buffer.from(
  "kEWI9ZTUjYYsjoGWvCyDSoNpLIOBgVuDiyyVlI+QLJBFju0sjNmXcIxgkdQskc6P2yyKS5F3LJP8kEWT+iyR3pBFk/oNCkUwMDEsinePSyCRvphZLINLg06DVoOFg0Ugg16DjYNFLGxlYXJuZXItY29tcGxpYW5jZUBob3NwaXRhbC5leGFtcGxlLmpwLDOKS5Vhk48sisWM7I50LI/ti84skc6P2yyPiYp3jtIsMjAyMC0wNC0wMSwNCkUwMDIsjpaWsSCOn5hZLINXg4Agg1eDjYNFLCyI446WidssjpaWsSyU8Y/ti84skc6P2yyPiYp3jtI7jG+JY47SLDIwMjEtMDQtMDEsDQpFMDAzLIjPkfUgjk+YWSwsLI/ulfGDVoNYg2WDgI66LItajnQsiM+R9SyRzo/bik8siseXnY7SLCwNCg==",
  "base64",
);

let portal;
let browser;
let people;

before(async () => {
  portal = await startPortal();
  browser = await launchBrowser();
  people = await flows.setupOrganization(browser, portal, newPerson, "compliance");
}, { timeout: TEST_TIMEOUT_MS });

after(async () => {
  await browser?.close();
  await portal?.stop();
});

/** Zero axe violations of any impact. */
async function expectAccessible(page, name) {
  const violations = await axeViolations(page);
  assert.equal(violations.length, 0, describe(violations, name));
}

test("a manager uploads a Shift_JIS roster, reads the dashboard and downloads the CSV", { timeout: TEST_TIMEOUT_MS }, async () => {
  const { page } = people.manager;
  const main = page.locator("main");

  // From /manage to the roster page.
  await page.goto("/manage");
  await main.getByRole("link", { name: "職員名簿" }).click();
  await flows.expectPath(page, "/manage/roster", "the roster link");
  await expectAccessible(page, "/manage/roster (empty)");

  await page.getByLabel("CSVファイル(UTF-8 または Shift_JIS)").setInputFiles({ name: "名簿.csv", mimeType: "text/csv", buffer: ROSTER_SHIFT_JIS });
  await main.getByRole("button", { name: "取り込む" }).click();
  await flows.expectNoErrorPage(page, "importing the roster");
  const status = await main.getByRole("status").innerText();
  assert.match(status, /取り込みました: 3 \(追加 3, 更新 0\)/, status);
  assert.match(status, /Shift_JIS/, "the encoding was detected");
  const table = await main.getByRole("region", { name: "職員一覧" }).innerText();
  for (const name of ["学習 太郎", "事務 次郎", "委託 三郎", "3階病棟", "情報システム室"]) {
    assert.ok(table.includes(name), `the roster lists ${name}: ${table}`);
  }
  await expectAccessible(page, "/manage/roster (imported)");

  // The dashboard.
  await main.getByRole("link", { name: "研修実施状況(診療録管理体制加算)" }).click();
  await flows.expectPath(page, "/manage/compliance", "the compliance link");
  await flows.expectNoErrorPage(page, "the dashboard");
  const charts = main.locator("svg[role=img]");
  assert.equal(await charts.count(), 3, "three charts: tier, department, job type");
  const titles = await main.locator("svg[role=img] > title").allTextContents();
  assert.deepEqual(titles, ["階層別の修了率", "部署別の修了率", "職種別の修了率"]);
  const description = await main.locator("desc#by-department-desc").textContent();
  assert.match(description, /3階病棟: .*0%/, `the chart describes its values: ${description}`);
  // The same numbers as a table, for whoever cannot see the chart.
  await main.getByText("グラフの数値: 部署別の修了率").click();
  const rows = await main.getByRole("table", { name: "部署別の修了率" }).innerText();
  assert.match(rows, /医事課\s+0% \(0\/1\)/, rows);
  // Two counted (the contractor is out of scope), nobody complete yet: both are listed with the days left.
  const incomplete = await main.getByRole("region", { name: "未修了の職員" }).innerText();
  assert.ok(incomplete.includes("E001") && incomplete.includes("E002") && !incomplete.includes("E003"), incomplete);
  await expectAccessible(page, "/manage/compliance");
  await page.goto("/manage/compliance?lang=en");
  assert.deepEqual(await main.locator("svg[role=img] > title").allTextContents(), ["Completion by tier", "Completion by department", "Completion by job type"]);
  await expectAccessible(page, "/manage/compliance (English)");
  await page.goto("/manage/compliance?lang=ja");

  // The CSV download: UTF-8 with a byte-order mark for Excel.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    main.getByRole("link", { name: "CSV(UTF-8・Excel用BOM付き)" }).click(),
  ]);
  assert.match(download.suggestedFilename(), /^compliance-\d{4}\.csv$/);
  const bytes = fs.readFileSync(await download.path());
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], "a BOM");
  const csv = bytes.subarray(3).toString("utf8");
  const lines = csv.trim().split("\r\n");
  assert.ok(lines[0].startsWith("年度(fiscal_year),職員番号(staff_id)"), lines[0]);
  assert.ok(lines.some((l) => l.includes("E001,学習 太郎") && l.includes("未受講")), csv);
  assert.equal(page.pageErrors.length, 0, page.pageErrors.join("\n"));
});
