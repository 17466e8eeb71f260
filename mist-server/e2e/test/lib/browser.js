"use strict";
// Headless Chromium through playwright-core, as the SCO tests launch it. `chromium.launch` gives every
// run a fresh temporary --user-data-dir (Playwright creates and deletes it); every person in a test gets
// their own browser context (own cookies).
const fs = require("node:fs");
const path = require("node:path");
const { chromium } = require("playwright-core");
const { chromiumPath, SHOTS_DIR } = require("./env.js");

const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const ACTION_TIMEOUT_MS = 15_000;
const NAVIGATION_TIMEOUT_MS = 30_000;
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 375, height: 812 };

/** `extraFlags`: more Chromium switches, e.g. `["--autoplay-policy=no-user-gesture-required"]`. */
async function launchBrowser({ extraFlags = [] } = {}) {
  const executablePath = chromiumPath();
  try {
    return await chromium.launch({ executablePath, headless: true, args: [...CHROMIUM_FLAGS, ...extraFlags], timeout: 60_000 });
  } catch (error) {
    throw new Error(`Chromium at ${executablePath} did not start: ${error.message}`);
  }
}

/**
 * A browser context for one person. Only the portal's own origin (127.0.0.1) and the origins in
 * `allow` (e.g. the SCORM content origin) may be reached: anything else is aborted and listed in
 * `context.offsite`.
 */
async function newPerson(browser, portalUrl, { allow = [], ...options } = {}) {
  const context = await browser.newContext({ baseURL: portalUrl, viewport: DESKTOP, locale: "ja-JP", ...options });
  context.setDefaultTimeout(ACTION_TIMEOUT_MS);
  context.setDefaultNavigationTimeout(NAVIGATION_TIMEOUT_MS);
  context.offsite = [];
  const origins = [portalUrl, ...allow].map((url) => `${new URL(url).origin}/`);
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (origins.some((origin) => url.startsWith(origin)) || url.startsWith("data:") || url.startsWith("blob:")) {
      return route.continue();
    }
    context.offsite.push(url);
    return route.abort("blockedbyclient");
  });
  const page = await context.newPage();
  page.pageErrors = [];
  page.on("pageerror", (error) => page.pageErrors.push(error.message));
  return { context, page };
}

/** Full-page PNGs at 1280 px (desktop) and 375 px (phone) wide; the viewport is restored afterwards. */
async function screenshots(page, name) {
  fs.mkdirSync(SHOTS_DIR, { recursive: true });
  const before = page.viewportSize();
  const files = [];
  for (const [label, size] of [["desktop", DESKTOP], ["phone", PHONE]]) {
    await page.setViewportSize(size);
    const file = path.join(SHOTS_DIR, `${name}-${label}-${size.width}.png`);
    await page.screenshot({ path: file, fullPage: true });
    files.push(file);
  }
  if (before) {
    await page.setViewportSize(before);
  }
  return files;
}

/** Elements wider than the viewport at 375 px: page-level horizontal scrolling on a phone. */
async function phoneOverflow(page) {
  const before = page.viewportSize();
  await page.setViewportSize(PHONE);
  const result = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const wide = [];
    for (const element of document.querySelectorAll("body *")) {
      const box = element.getBoundingClientRect();
      if (box.width > 0 && box.right > width + 1) {
        // Report the outermost overflowing elements only.
        if (!wide.some((outer) => outer.contains(element))) {
          wide.push(element);
        }
      }
    }
    return {
      viewport: width,
      scrollWidth: document.documentElement.scrollWidth,
      elements: wide.map((element) => ({
        tag: element.tagName.toLowerCase(),
        id: element.id,
        className: typeof element.className === "string" ? element.className : "",
        right: Math.round(element.getBoundingClientRect().right),
        text: (element.textContent || "").trim().slice(0, 60),
      })),
    };
  });
  if (before) {
    await page.setViewportSize(before);
  }
  return result;
}

module.exports = { launchBrowser, newPerson, screenshots, phoneOverflow, DESKTOP, PHONE };
