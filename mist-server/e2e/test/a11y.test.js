"use strict";
// Accessibility (axe-core, WCAG 2.0/2.1 A and AA), keyboard use and the language switch of the portal,
// in headless Chromium against a fresh `mist serve`.
//
// Needs: Chromium (`apt-get install -y chromium`, or CHROMIUM=/path), `npm ci` here, and the `mist`
// binary (MIST_BIN=/path/to/mist, or cargo to build it).
const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const { startPortal } = require("./lib/portal.js");
const { launchBrowser, newPerson, screenshots, phoneOverflow } = require("./lib/browser.js");
const { axeViolations, describe, blocking } = require("./lib/axe.js");
const flows = require("./lib/flows.js");

const COURSE = "staff";
const MODULE = "b1-what-happens-in-an-attack";
const TEST_TIMEOUT_MS = 180_000;

let portal;
let browser;
let people;
let anonymous;
let spareInvitation;

before(async () => {
  portal = await startPortal();
  browser = await launchBrowser();
  people = await flows.setupOrganization(browser, portal, newPerson, "a11y");
  spareInvitation = await flows.invite(people.manager.page, portal.url, "spare-a11y@hospital.example.jp");
  anonymous = await newPerson(browser, portal.url);
}, { timeout: 240_000 });

after(async () => {
  await browser?.close();
  await portal?.stop();
});

/** Opens a page, checks its status (and that it is not an error page), and returns its axe violations. */
async function audit(page, path, status = 200) {
  const response = await page.goto(path);
  assert.equal(response.status(), status, `GET ${path} answers ${status}`);
  if (status === 200) {
    await flows.expectNoErrorPage(page, `GET ${path}`);
  }
  return axeViolations(page);
}

test("1. accessibility: axe finds no serious or critical WCAG 2.1 A/AA violation", { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { admin, learner, manager } = people;
  const pages = [
    ["catalog", anonymous.page, "/"],
    ["course page", anonymous.page, `/courses/${COURSE}`],
    ["module page", anonymous.page, `/courses/${COURSE}/modules/${MODULE}`],
    ["sign-in page", anonymous.page, "/login"],
    ["join page", anonymous.page, "/join"],
    ["player (learner)", learner.page, `/learn/${COURSE}/${MODULE}`],
    ["quiz page (learner)", learner.page, `/learn/${COURSE}/${MODULE}/quiz`],
    ["/me (learner)", learner.page, "/me"],
    ["/manage (manager)", manager.page, "/manage"],
    // The same pages in English (the other interface language).
    ["catalog (English)", anonymous.page, "/?lang=en"],
    ["player (learner, English)", learner.page, `/learn/${COURSE}/${MODULE}?lang=en`],
    ["quiz page (learner, English)", learner.page, `/learn/${COURSE}/${MODULE}/quiz?lang=en`],
    ["/manage (manager, English)", manager.page, "/manage?lang=en"],
    // Pages beyond the brief's list.
    ["/admin (administrator)", admin.page, "/admin"],
    ["/account/password", admin.page, "/account/password"],
    ["invitation page", anonymous.page, new URL(spareInvitation).pathname],
    ["used one-time link page", anonymous.page, new URL(portal.adminLink).pathname],
    ["error page (404)", anonymous.page, "/courses/no-such-course", 404],
  ];
  const failures = [];
  const minor = [];
  for (const [name, page, path, status] of pages) {
    const violations = await audit(page, path, status);
    const serious = blocking(violations);
    if (serious.length) {
      failures.push(describe(serious, `${name} ${path}`));
    }
    const rest = violations.filter((v) => !serious.includes(v));
    if (rest.length) {
      minor.push(describe(rest, `${name} ${path}`));
    }
  }
  // Back to Japanese for the other tests.
  for (const person of [anonymous, admin, learner, manager]) {
    await person.page.goto("/?lang=ja");
  }
  if (minor.length) {
    t.diagnostic(`moderate/minor axe violations (not failing):\n${minor.join("\n")}`);
  }
  assert.equal(failures.length, 0, `serious or critical axe violations:\n${failures.join("\n")}`);
});

/** Presses Tab from a freshly loaded page; returns the focused element. */
async function firstFocus(page) {
  await page.evaluate(() => document.activeElement?.blur());
  await page.keyboard.press("Tab");
  return page.evaluate(() => {
    const e = document.activeElement;
    return { tag: e.tagName.toLowerCase(), className: e.className, href: e.getAttribute("href"), text: e.textContent.trim(), visible: e.getBoundingClientRect().left >= 0 };
  });
}

/** Every focusable form control of the page with the accessible name Chromium computes for it. */
async function controlNames(page) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { nodes } = await cdp.send("Accessibility.getFullAXTree");
    const roles = new Set(["textbox", "searchbox", "radio", "checkbox", "combobox", "listbox", "spinbutton", "button", "slider", "switch"]);
    const controls = [];
    for (const node of nodes) {
      const role = node.role?.value;
      if (node.ignored || !roles.has(role) || node.backendDOMNodeId === undefined) {
        continue;
      }
      const { node: dom } = await cdp.send("DOM.describeNode", { backendNodeId: node.backendDOMNodeId });
      const attributes = Object.fromEntries(
        (dom.attributes || []).reduce((pairs, value, i, all) => (i % 2 ? pairs : [...pairs, [value, all[i + 1]]]), []),
      );
      controls.push({ role, name: (node.name?.value || "").trim(), element: dom.localName, attributes });
    }
    return controls;
  } finally {
    await cdp.detach();
  }
}

function describeControl(control) {
  const { id, name, type } = control.attributes;
  return `<${control.element}${type ? ` type=${type}` : ""}${name ? ` name=${name}` : ""}${id ? ` id=${id}` : ""}> (${control.role})`;
}

test("2. keyboard: the skip link comes first and leads into main; every form control has an accessible name", { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { learner } = people;
  const cases = [
    ["catalog", anonymous.page, "/"],
    ["sign-in page", anonymous.page, "/login"],
    ["quiz page", learner.page, `/learn/${COURSE}/${MODULE}/quiz`],
  ];
  for (const [name, page, path] of cases) {
    await page.goto(path);
    const first = await firstFocus(page);
    assert.equal(first.className, "skip", `${name}: the first Tab focuses the skip link, not <${first.tag}> "${first.text}"`);
    assert.equal(first.href, "#main", `${name}: the skip link points at #main`);
    assert.ok(first.visible, `${name}: the focused skip link is on screen`);
    await page.keyboard.press("Enter");
    assert.equal(new URL(page.url()).hash, "#main", `${name}: Enter on the skip link goes to #main`);
    const focus = await page.evaluate(() => {
      const main = document.querySelector("main");
      const e = document.activeElement;
      return { onMain: e === main, inHeader: Boolean(e.closest("header")), tag: e.tagName.toLowerCase() };
    });
    assert.ok(!focus.inHeader, `${name}: after the skip link, focus is no longer in the header`);
    // Chromium moves the sequential focus starting point to <main> (focus itself moves only when <main>
    // is focusable, tabindex="-1"): the next Tab must land inside main, past the header navigation.
    await page.keyboard.press("Tab");
    const next = await page.evaluate(() => {
      const e = document.activeElement;
      return { inMain: Boolean(e.closest("main")), html: e.outerHTML.slice(0, 120) };
    });
    assert.ok(next.inMain || focus.onMain, `${name}: after the skip link, Tab moves into main, not to ${next.html}`);
    if (!focus.onMain) {
      t.diagnostic(`${name}: after Enter on the skip link document.activeElement is <${focus.tag}> (main has no tabindex="-1")`);
    }
  }

  for (const [name, page, path] of [cases[1], cases[2]]) {
    await page.goto(path);
    const controls = await controlNames(page);
    assert.ok(controls.length >= 3, `${name}: the page has form controls (found ${controls.length})`);
    const unnamed = controls.filter((c) => !c.name).map(describeControl);
    assert.deepEqual(unnamed, [], `${name}: form controls without an accessible name`);
    t.diagnostic(`${name}: ${controls.map((c) => `${describeControl(c)} "${c.name}"`).join("; ")}`);
  }
  // The quiz: the radio buttons and check boxes of a question are a named group.
  const groups = await learner.page.locator("main fieldset").evaluateAll((sets) =>
    sets.map((set) => ({ legend: set.querySelector("legend")?.textContent.trim() || "" })),
  );
  assert.ok(groups.length > 0, "the quiz shows questions as fieldsets");
  assert.ok(groups.every((g) => g.legend), "every question fieldset has a legend");
});

test("4. language switch: English on the catalog, still English on the next page", { timeout: TEST_TIMEOUT_MS }, async () => {
  const { context, page } = await newPerson(browser, portal.url);
  try {
    await page.goto("/");
    assert.equal(await page.getAttribute("html", "lang"), "ja", "Japanese by default");
    assert.equal(await page.locator("main h1").innerText(), "研修一覧");
    await screenshots(page, "catalog");
    const english = page.getByRole("navigation").getByRole("link", { name: "English" });
    assert.equal(await english.getAttribute("lang"), "en", "the English link is marked lang=en");
    await english.click();
    await page.waitForURL((url) => url.search === "?lang=en");
    assert.equal(await page.getAttribute("html", "lang"), "en", "the catalog is English after the switch");
    assert.equal(await page.locator("main h1").innerText(), "Courses");
    await page.getByRole("link", { name: "Training for beginners and medical staff" }).waitFor();
    await screenshots(page, "catalog-en");

    // The next page, reached by an ordinary link without ?lang=, is still English.
    await page.getByRole("link", { name: "Training for beginners and medical staff" }).click();
    await flows.expectPath(page, `/courses/${COURSE}`, "the course link");
    assert.equal(new URL(page.url()).search, "", "the course link carries no ?lang=");
    assert.equal(await page.getAttribute("html", "lang"), "en", "the next page stays English");
    assert.equal(await page.locator("main h2").first().innerText(), "Modules");
    assert.match(await page.locator("main").innerText(), /Pass mark: 80%/);
    await page.getByRole("navigation").getByRole("link", { name: "日本語" }).waitFor();
    // And a page typed in directly.
    await page.goto("/login");
    assert.equal(await page.getAttribute("html", "lang"), "en", "the sign-in page is English too");
    assert.equal(await page.locator("main h1").innerText(), "Sign in");
    // Back to Japanese.
    await page.getByRole("navigation").getByRole("link", { name: "日本語" }).click();
    await page.waitForURL((url) => url.search === "?lang=ja");
    assert.equal(await page.getAttribute("html", "lang"), "ja");
    assert.equal(await page.locator("main h1").innerText(), "ログイン");
    assert.deepEqual(context.offsite, [], "no request left 127.0.0.1");
  } finally {
    await context.close();
  }
});

test("4b. language switch keeps the person on the same page (one-time link, invitation, player lesson)", {
  timeout: TEST_TIMEOUT_MS,
}, async () => {
  const { context, page } = await newPerson(browser, portal.url);
  const problems = [];
  try {
    const switchTo = async (label) => {
      const href = await page.getByRole("navigation").getByRole("link", { name: label }).getAttribute("href");
      const response = await page.getByRole("navigation").getByRole("link", { name: label }).click().then(() => page.waitForLoadState());
      return { href, response };
    };
    // A one-time sign-in link (not used: only opened).
    await page.goto(new URL(portal.adminLink).pathname.replace(/[0-9a-f]{8}$/, "00000000"));
    let { href } = await switchTo("English");
    if (!new URL(page.url()).pathname.startsWith("/links/")) {
      problems.push(`/links/{token}: the English link is ${href}, which leaves the link page (${await page.title()})`);
    }
    await page.goto("/?lang=ja");
    // An invitation.
    await page.goto(new URL(spareInvitation).pathname);
    ({ href } = await switchTo("English"));
    if (new URL(page.url()).pathname !== new URL(spareInvitation).pathname) {
      problems.push(`/join/{token}: the English link is ${href}, which shows the organization-code form instead of the invitation`);
    }
    await page.goto("/?lang=ja");
    // The player, on the second lesson.
    await flows.signIn(page, people.learner.email);
    await page.goto(`/learn/${COURSE}/${MODULE}?lesson=handa-case`);
    const title = await page.locator("main h1").innerText();
    ({ href } = await switchTo("English"));
    if (new URL(page.url()).searchParams.get("lesson") !== "handa-case") {
      problems.push(`player: the English link is ${href}, which goes back to the first lesson (was on "${title}")`);
    }
    await page.goto("/?lang=ja");
  } finally {
    await context.close();
  }
  assert.deepEqual(problems, [], "the language link keeps the page");
});

const PHONE_PAGES = [
  ["catalog", "anonymous", "/"],
  ["course page", "anonymous", `/courses/${COURSE}`],
  ["module page", "anonymous", `/courses/${COURSE}/modules/${MODULE}`],
  ["sign-in page", "anonymous", "/login"],
  ["join page", "anonymous", "/join"],
  ["player", "learner", `/learn/${COURSE}/${MODULE}`],
  ["quiz page", "learner", `/learn/${COURSE}/${MODULE}/quiz`],
  ["/me", "learner", "/me"],
];

async function sidewaysScrolling(list) {
  const found = [];
  for (const [name, who, path] of list) {
    const person = who === "anonymous" ? anonymous : people[who];
    await person.page.goto(path);
    const overflow = await phoneOverflow(person.page);
    if (overflow.scrollWidth > overflow.viewport) {
      found.push(
        `${name} ${path}: ${overflow.scrollWidth} px wide at 375 px: ` +
          overflow.elements.map((e) => `<${e.tag}${e.className ? `.${e.className}` : ""}> reaches ${e.right} px`).join(", "),
      );
    }
  }
  return found;
}

test("6. phone layout: learner pages do not scroll sideways at 375 px", { timeout: TEST_TIMEOUT_MS }, async () => {
  assert.deepEqual(await sidewaysScrolling(PHONE_PAGES), [], "pages wider than a 375 px phone");
});

test("6b. phone layout: the /manage and /admin tables fit 375 px", {
  timeout: TEST_TIMEOUT_MS,
}, async () => {
  const found = await sidewaysScrolling([
    ["/manage", "manager", "/manage"],
    ["/admin", "admin", "/admin"],
  ]);
  assert.deepEqual(found, [], "pages wider than a 375 px phone");
});
