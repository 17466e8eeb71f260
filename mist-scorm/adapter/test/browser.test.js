"use strict";
// The adapter in headless Chromium, against the same agreement fixtures as test/agreement.test.js.
// A local server (127.0.0.1, a free port) serves a harness page, mist-scorm-api.js and the
// fixtures. In the page, every fixture session gets a fresh launch page (an iframe) that defines
// window.MIST_ATTEMPT from the session and loads the adapter; the SCO finds window.API or
// window.API_1484_11 as a real one does (every other session from a child iframe, through
// window.parent) and replays the calls. Every return value, and the code GetLastError gives after
// it, must be the runtime's. The server answers commits as the README says and records the batches,
// which must be the ones the calls make. Also: Commit sends the batch by POST, and closing the page
// sends the pending batch by sendBeacon.
//
// Needs Chromium (`apt-get install chromium`, or CHROMIUM=/path/to/chromium) and `npm ci`.
/* global window -- in the functions that run in the page (page.evaluate, addInitScript) */
const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const http = require("node:http");
const os = require("node:os");
const path = require("node:path");
const { chromium } = require("playwright-core");

const ROOT = path.resolve(__dirname, "..");
const FIXTURES = path.join(__dirname, "fixtures");
const PAGES = path.join(__dirname, "browser");
const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
/** Sessions replayed per page.evaluate: one round trip per chunk, not one per call. */
const CHUNK = 100;
/** Launch pages loading at a time (loading frames is most of the time, and overlaps well). */
const LANES = 4;
/** Every CHILD_EVERY-th session's SCO runs in a child iframe of the launch page. */
const CHILD_EVERY = 2;
const MAX_FAILURES = 20;
/** Chromium refuses a keepalive fetch or a beacon whose body (with those in flight) is this large. */
const KEEPALIVE_LIMIT = 64 * 1024;

const TAGS = { "1.2": "12", 2004: "2004" };
const fixtures = new Map();
function fixture(name) {
  if (!fixtures.has(name)) fixtures.set(name, JSON.parse(fs.readFileSync(path.join(FIXTURES, name), "utf8")));
  return fixtures.get(name);
}

function chromiumPath() {
  const candidates = process.env.CHROMIUM ? [process.env.CHROMIUM] : ["/usr/bin/chromium", "/usr/bin/chromium-browser"];
  const found = candidates.find((candidate) => fs.existsSync(candidate));
  if (!found) {
    throw new Error(`Chromium not found (tried ${candidates.join(", ")}). The browser test needs it: ` +
      "apt-get install -y chromium, or set CHROMIUM=/path/to/chromium");
  }
  return found;
}

const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".json": "application/json" };

function readBody(request) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    request.on("data", (chunk) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

/** A launch page as a server renders it: MIST_ATTEMPT inline, the adapter, the SCO in a child iframe. */
function launchPage(attempt) {
  const json = JSON.stringify(attempt).replace(/</g, "\\u003c");
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Launch</title>
<script>window.MIST_ATTEMPT = ${json};</script>
<script src="/mist-scorm-api.js"></script>
</head><body><iframe src="/browser/sco.html" title="SCO"></iframe></body></html>`;
}

/**
 * Every page's navigator.sendBeacon tags its URL with ?via=beacon (and still sends), so the server
 * can tell a beacon from a fetch: Chromium sends both with the same headers.
 */
function markBeacons() {
  const send = window.navigator.sendBeacon.bind(window.navigator);
  window.navigator.sendBeacon = (url, data) => send(url + (String(url).includes("?") ? "&" : "?") + "via=beacon", data);
}

/**
 * The test server. GET: the harness pages (test/browser), the adapter, the fixtures, and
 * /launch/TAG/NAME (a launch page for a hand-made attempt). POST /commit/TAG/KEY: the commit
 * endpoint. It records each batch and answers as the README says: 200 {"acknowledged": N}, a
 * repeated sequence acknowledged again, a gap 409 {"expected": M}.
 */
function serve(launches) {
  const batches = [];
  const next = new Map();
  async function commit(request, response, key, via) {
    const text = await readBody(request);
    let body = null;
    try {
      body = JSON.parse(text);
    } catch {
      // recorded as null, answered 400
    }
    batches.push({ key, via, body, bytes: Buffer.byteLength(text), contentType: request.headers["content-type"] });
    const expected = next.get(key) || 1;
    let status = 200;
    let reply = { acknowledged: expected - 1 };
    if (body === null || !Number.isInteger(body.sequence)) {
      status = 400;
      reply = {};
    } else if (body.sequence > expected) {
      status = 409;
      reply = { expected };
    } else if (body.sequence === expected) {
      next.set(key, expected + 1);
      reply = { acknowledged: expected };
    }
    response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(reply));
  }
  const server = http.createServer((request, response) => {
    const url = new URL(request.url, "http://127.0.0.1");
    const parts = url.pathname.split("/").slice(1);
    if (request.method === "POST" && parts[0] === "commit" && parts.length === 3) {
      commit(request, response, `${parts[1]}/${parts[2]}`, url.searchParams.get("via") || "fetch")
        .catch(() => response.writeHead(500).end());
      return;
    }
    const launch = launches.get(parts.slice(1).join("/"));
    if (request.method === "GET" && parts[0] === "launch" && launch) {
      response.writeHead(200, { "content-type": TYPES[".html"] }).end(launchPage(launch));
      return;
    }
    let file = null;
    if (request.method === "GET" && url.pathname === "/mist-scorm-api.js") {
      file = path.join(ROOT, "mist-scorm-api.js");
    } else if (request.method === "GET" && parts.length === 2 && (parts[0] === "browser" || parts[0] === "fixtures")) {
      file = path.join(parts[0] === "browser" ? PAGES : FIXTURES, parts[1]);
    }
    if (file === null || !fs.existsSync(file)) {
      response.writeHead(url.pathname === "/favicon.ico" ? 204 : 404).end();
      return;
    }
    // Cacheable: each session's launch page loads the same scripts again.
    response.writeHead(200, { "content-type": TYPES[path.extname(file)] || "application/octet-stream", "cache-control": "max-age=600" });
    response.end(fs.readFileSync(file));
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      resolve({
        url: `http://127.0.0.1:${server.address().port}`,
        batches,
        close: () => new Promise((done) => {
          server.closeAllConnections();
          server.close(done);
        }),
      });
    });
  });
}

const temp = fs.mkdtempSync(path.join(os.tmpdir(), "mist-adapter-browser-"));
const launches = new Map();
let server;
let context;

before(async () => {
  const executablePath = chromiumPath();
  server = await serve(launches);
  try {
    context = await chromium.launchPersistentContext(path.join(temp, "profile"), {
      executablePath,
      headless: true,
      args: CHROMIUM_FLAGS,
      timeout: 60000,
    });
  } catch (error) {
    throw new Error(`Chromium (${executablePath}) did not start: ${error.message}`, { cause: error });
  }
  await context.addInitScript(markBeacons);
});

after(async () => {
  await context?.close();
  await server?.close();
  fs.rmSync(temp, { recursive: true, force: true });
});

/** Waits until `predicate()` holds, polling; answers false if it still does not after `ms`. */
async function until(predicate, ms) {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The batches a session's calls make (README, "Batches"): its successful SetValue, Commit and
 * Terminate calls, sealed after each Commit and Terminate (what is left on page hide), each sealing
 * cut into batches below the keepalive limit (60,000 bytes: 200 for the envelope, each call's JSON
 * plus a comma; a single larger call goes alone).
 */
function expectedBatches(session, token) {
  const sealings = [];
  let calls = [];
  for (const call of session.calls) {
    if (call[call.length - 2] !== "true") continue;
    if (call[0] === "SetValue") {
      calls.push(["SetValue", call[1], call[2]]);
    } else if (call[0] === "Commit" || call[0] === "Terminate") {
      calls.push([call[0]]);
      sealings.push(calls);
      calls = [];
    }
  }
  if (calls.length > 0) sealings.push(calls);
  const batches = [];
  const sealingOf = [];
  for (const sealing of sealings) {
    const sealingBytes = 200 + sealing.reduce((n, call) => n + Buffer.byteLength(JSON.stringify(call)) + 1, 0);
    const first = batches.length;
    let batch = [];
    let size = 200;
    for (const call of sealing) {
      const cost = Buffer.byteLength(JSON.stringify(call)) + 1;
      if (batch.length > 0 && size + cost > 60000) {
        batches.push(batch);
        batch = [];
        size = 200;
      }
      batch.push(call);
      size += cost;
    }
    if (batch.length > 0) batches.push(batch);
    for (let i = first; i < batches.length; i += 1) sealingOf[i] = sealingBytes;
  }
  return batches.map((batchCalls, i) => ({ token, sequence: i + 1, calls: batchCalls, sealingBytes: sealingOf[i] }));
}

/** What the server received for one commit key, by sequence number: [{via, body}] (repeats too). */
function receivedFor(key) {
  const bySequence = new Map();
  for (const batch of server.batches) {
    if (batch.key !== key || batch.body === null) continue;
    if (!bySequence.has(batch.body.sequence)) bySequence.set(batch.body.sequence, []);
    bySequence.get(batch.body.sequence).push(batch);
  }
  return bySequence;
}

for (const version of ["1.2", "2004"]) {
  const tag = TAGS[version];
  test(`in Chromium, the adapter answers the SCORM ${version} corpus as the runtime does`, { timeout: 240000 }, async () => {
    const corpus = fixture(`agreement-${tag}.json`);
    const calls = corpus.sessions.reduce((sum, session) => sum + session.calls.length, 0);
    const page = await context.newPage();
    const pageErrors = [];
    page.on("pageerror", (error) => pageErrors.push(error.message));
    const started = Date.now();
    await page.goto(`${server.url}/browser/harness.html`);
    const loaded = await page.evaluate((t) => window.harness.load(t), tag);
    assert.deepEqual(loaded, { version, sessions: corpus.sessions.length, calls }, "the page has the same corpus as node");
    const total = { passed: 0, total: 0, sessions: 0, child: 0, failures: [] };
    for (let from = 0; from < loaded.sessions; from += CHUNK) {
      const to = Math.min(from + CHUNK, loaded.sessions);
      const options = { childEvery: CHILD_EVERY, lanes: LANES, maxFailures: MAX_FAILURES - total.failures.length };
      const part = await page.evaluate(([t, a, b, o]) => window.harness.replay(t, a, b, o), [tag, from, to, options]);
      for (const field of ["passed", "total", "sessions", "child"]) total[field] += part[field];
      total.failures.push(...part.failures);
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`browser agreement ${version}: ${total.passed}/${total.total} calls agree in ${total.sessions} sessions ` +
      `(${total.child} through window.parent from a child iframe), ${seconds} s`);
    assert.deepEqual(total.failures, []);
    assert.equal(total.sessions, corpus.sessions.length);
    assert.equal(total.total, calls, "every call was replayed");
    assert.equal(total.passed, total.total);
    assert.deepEqual(pageErrors, [], "no uncaught errors in the page");

    // The batches. Each that arrived is the one the calls make. Each that fits Chromium's keepalive
    // quota arrives: by fetch (Commit, Terminate) or by beacon (when the launch page is removed).
    const expected = corpus.sessions.map((session, i) => ({ key: `${tag}/${i}`, batches: expectedBatches(session, `token-${tag}-${i}`) }));
    const all = expected.flatMap(({ key, batches }) => batches.map((batch) => ({ key, batch })));
    // A Commit whose calls together pass the keepalive quota, with the page closed at once, can lose
    // its tail (a page being hidden may beacon at most ~64 KiB in all): only such batches may be lost.
    // Batches go in order (the server refuses a gap), so once one may be lost, so may all after it.
    const fits = expected.flatMap(({ key, batches }) => {
      const first = batches.findIndex((batch) => batch.sealingBytes >= KEEPALIVE_LIMIT);
      return (first < 0 ? batches : batches.slice(0, first)).map((batch) => ({ key, batch }));
    });
    const missing = (list) => {
      const received = new Map(expected.map(({ key }) => [key, receivedFor(key)]));
      return list.filter(({ key, batch }) => !received.get(key).has(batch.sequence));
    };
    await until(() => missing(fits).length === 0, 15000);
    await page.close();
    const via = { fetch: 0, beacon: 0 };
    for (const { key, batches } of expected) {
      for (const [sequence, copies] of receivedFor(key)) {
        for (const copy of copies) {
          via[copy.via] += 1;
          const wanted = { ...batches[sequence - 1] };
          delete wanted.sealingBytes;
          assert.deepEqual(copy.body, wanted, `${key}: batch ${sequence} (by ${copy.via})`);
        }
      }
    }
    const lost = missing(all);
    const label = ({ key, batch }) => `${corpus.sessions[Number(key.split("/")[1])].label} #${batch.sequence}`;
    console.log(`browser batches ${version}: ${all.length - lost.length}/${all.length} batches arrived ` +
      `(${via.fetch} POSTs by fetch, ${via.beacon} by beacon)` +
      (lost.length > 0 ? `; from Commits of 64 KiB or more closed at once, not arrived: ${lost.map(label).join(", ")}` : ""));
    assert.deepEqual(missing(fits).map(label), [], "every batch of a Commit within 64 KiB reaches the server");
  });
}

const ELEMENTS = {
  "1.2": { location: "cmi.core.lesson_location", suspend: "cmi.suspend_data", readOnly: "cmi.core.student_id", readOnlyCode: "403" },
  2004: { location: "cmi.location", suspend: "cmi.suspend_data", readOnly: "cmi.learner_id", readOnlyCode: "404" },
};

/** Opens a launch page (served with MIST_ATTEMPT inline) whose SCO is a child iframe; answers that frame. */
async function launch(page, tag, name) {
  const model = fixture(`model-${tag}.json`);
  const values = fixture(`agreement-${tag}.json`).sessions[0].values;
  launches.set(`${tag}/${name}`, {
    version: model.version, commitUrl: `/commit/${tag}/${name}`, token: `token-${tag}-${name}`, nextSequence: 1, values, access: {}, model,
  });
  await page.goto(`${server.url}/launch/${tag}/${name}`);
  const sco = page.frames().find((frame) => frame.url().endsWith("/browser/sco.html"));
  assert.ok(sco, "the SCO frame loaded");
  return { sco, key: `${tag}/${name}`, token: `token-${tag}-${name}` };
}

/** Runs calls ([method, ...arguments]) in the SCO frame, through the API it finds; answers the returns. */
function callsIn(sco, version, calls) {
  return sco.evaluate(([v, list]) => {
    const { api } = window.SCO.find(v);
    const prefix = v === "1.2" ? (method) => (method === "Terminate" ? "LMSFinish" : "LMS" + method) : (method) => method;
    return list.map(([method, ...args]) => api[prefix(method)](...args));
  }, [version, calls]);
}

const batchesFor = (key) => server.batches.filter((batch) => batch.key === key);

for (const version of ["1.2", "2004"]) {
  const tag = TAGS[version];
  const el = ELEMENTS[version];

  test(`in Chromium, SCORM ${version}: Commit POSTs the batch, and the next one after the acknowledgement`, { timeout: 30000 }, async () => {
    const page = await context.newPage();
    const { sco, key, token } = await launch(page, tag, "commit");
    const answers = await callsIn(sco, version, [["Initialize", ""], ["SetValue", el.location, "p1"], ["SetValue", el.readOnly, "x"],
      ["GetLastError"], ["Commit", ""]]);
    assert.deepEqual(answers, ["true", "true", "false", el.readOnlyCode, "true"]);
    assert.ok(await until(() => batchesFor(key).length >= 1, 10000), "Commit sent a batch");
    const [first] = batchesFor(key);
    assert.equal(first.via, "fetch");
    assert.equal(first.contentType, "application/json");
    assert.deepEqual(first.body, { token, sequence: 1, calls: [["SetValue", el.location, "p1"], ["Commit"]] });
    // Batch 2 goes only once the page has taken the server's 200 {"acknowledged": 1}.
    assert.deepEqual(await callsIn(sco, version, [["SetValue", el.location, "p2"], ["Commit", ""]]), ["true", "true"]);
    assert.ok(await until(() => batchesFor(key).length >= 2, 10000), "the second Commit sent a batch");
    assert.deepEqual(batchesFor(key).map((b) => [b.via, b.body.sequence]), [["fetch", 1], ["fetch", 2]]);
    assert.deepEqual(batchesFor(key)[1].body.calls, [["SetValue", el.location, "p2"], ["Commit"]]);
    // Closing may beacon batch 2 again if its acknowledgement is still on the way: a repeat.
    await page.close({ runBeforeUnload: true });
    await pause(300);
    for (const batch of batchesFor(key).slice(2)) {
      assert.deepEqual([batch.via, batch.body], ["beacon", batchesFor(key)[1].body], "only a repeat is sent on close");
    }
  });

  test(`in Chromium, SCORM ${version}: closing the page sends the pending batch by sendBeacon`, { timeout: 30000 }, async () => {
    const page = await context.newPage();
    const { sco, key, token } = await launch(page, tag, "beacon");
    const answers = await callsIn(sco, version, [["Initialize", ""], ["SetValue", el.location, "left-here"], ["SetValue", el.suspend, "state"]]);
    assert.deepEqual(answers, ["true", "true", "true"]);
    await pause(300);
    assert.equal(batchesFor(key).length, 0, "nothing is sent before the page closes");
    await page.close({ runBeforeUnload: true });
    assert.ok(await until(() => batchesFor(key).length >= 1, 10000), "the beacon reached the server");
    await pause(300);
    const received = batchesFor(key);
    console.log(`beacon ${version}: the pending batch arrived ${received.length} time(s) on page close`);
    for (const batch of received) {
      assert.equal(batch.via, "beacon");
      assert.equal(batch.contentType, "application/json");
      assert.deepEqual(batch.body, { token, sequence: 1, calls: [["SetValue", el.location, "left-here"], ["SetValue", el.suspend, "state"]] });
    }
  });
}

test("in Chromium, a batch of 64 KiB or more reaches the server", {
  timeout: 30000,
}, async () => {
  const page = await context.newPage();
  const { sco, key } = await launch(page, "2004", "large");
  const answers = await callsIn(sco, "2004", [["Initialize", ""], ["SetValue", "cmi.suspend_data", "a".repeat(64000)],
    ["SetValue", "cmi.suspend_data", "b".repeat(64000)], ["Commit", ""]]);
  assert.deepEqual(answers, ["true", "true", "true", "true"]);
  const byFetch = await until(() => batchesFor(key).length > 0, 2500);
  await page.close({ runBeforeUnload: true });
  const arrived = byFetch || (await until(() => batchesFor(key).length > 0, 2500));
  assert.ok(arrived, "the 128 KB batch arrived neither by fetch after Commit (2.5 s, with retries) nor by beacon on close");
});
