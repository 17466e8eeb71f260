"use strict";
// The adapter's own behaviour: call answers, batching, sequence numbers, 409 resend,
// idempotent repeats, retries and the page-hide beacon, against a mock server.
const test = require("node:test");
const assert = require("node:assert");
const fs = require("node:fs");
const path = require("node:path");
const { createApi, install } = require("../mist-scorm-api.js");

const model = (tag) => JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures", `model-${tag}.json`), "utf8"));
const MODEL_2004 = model("2004");
const MODEL_12 = model("12");

/** A mock server: keeps the batches it made durable and answers like the contract says. */
function mockServer() {
  const server = { durable: [], requests: [], beacons: [], down: false, next: 1, timers: [] };
  server.env = {
    fetch(url, init) {
      server.requests.push({ url, init, body: JSON.parse(init.body) });
      if (server.down) return Promise.reject(new TypeError("network down"));
      const { sequence, token, calls } = JSON.parse(init.body);
      let status = 200;
      let reply;
      if (token !== "tok") {
        status = 403;
        reply = {};
      } else if (sequence < server.next) {
        reply = { acknowledged: server.next - 1 };
      } else if (sequence > server.next) {
        status = 409;
        reply = { expected: server.next };
      } else {
        server.durable.push(...calls);
        server.next += 1;
        reply = { acknowledged: sequence };
      }
      return Promise.resolve({ status, json: () => Promise.resolve(reply) });
    },
    sendBeacon(url, blob) {
      server.beacons.push({ url, blob });
      return true;
    },
    Blob: class {
      constructor(parts, options) {
        this.text = parts.join("");
        this.type = options.type;
      }
    },
    setTimeout(fn, ms) {
      server.timers.push({ fn, ms });
      return server.timers.length;
    },
    setInterval(fn, ms) {
      server.interval = { fn, ms };
      return 1;
    },
    clearInterval() {
      server.interval = null;
    },
  };
  return server;
}

const settle = () => new Promise((resolve) => setImmediate(resolve));
async function settleAll() {
  for (let i = 0; i < 10; i++) await settle();
}

function start2004(server, extra = {}) {
  const attempt = Object.assign({ model: MODEL_2004, commitUrl: "/api/v1/attempts/7/commit", token: "tok", nextSequence: 1,
    values: { "cmi.learner_id": "learner-1", "cmi.mode": "normal", "cmi.objectives._count": "0", "cmi.interactions._count": "0" } }, extra);
  return createApi(attempt, server.env);
}

test("2004 calls are answered with the runtime's values and codes", () => {
  const { api } = start2004(mockServer());
  assert.strictEqual(api.version, "1.0");
  assert.strictEqual(api.GetValue("cmi.location"), "");
  assert.strictEqual(api.GetLastError(), "122");
  assert.strictEqual(api.Initialize(""), "true");
  assert.strictEqual(api.GetValue("cmi.learner_id"), "learner-1");
  assert.strictEqual(api.SetValue("cmi.learner_id", "x"), "false");
  assert.strictEqual(api.GetLastError(), "404");
  assert.strictEqual(api.GetErrorString("404"), "Data Model Element Is Read Only");
  assert.match(api.GetDiagnostic(""), /read only \(cmi\.learner_id\)$/);
  assert.strictEqual(api.SetValue("cmi.score.scaled", 2), "false");
  assert.strictEqual(api.GetLastError(), "407");
  assert.strictEqual(api.SetValue("cmi.objectives.0.id", "obj-1"), "true");
  assert.strictEqual(api.GetValue("cmi.objectives._count"), "1");
  assert.strictEqual(api.SetValue("cmi.objectives.2.id", "obj-3"), "false");
  assert.strictEqual(api.GetLastError(), "351");
  assert.strictEqual(api.GetValue("cmi.location"), "");
  assert.strictEqual(api.GetLastError(), "403");
  assert.strictEqual(api.GetValue("constructor"), "");
  assert.strictEqual(api.GetLastError(), "401");
});

test("1.2 installs LMS* methods and answers unset elements with an empty string", () => {
  const { api } = createApi({ model: MODEL_12, values: { "cmi.core.student_id": "s-1" }, commitUrl: "/c", token: "tok" }, mockServer().env);
  assert.strictEqual(api.version, undefined);
  assert.strictEqual(api.LMSInitialize(), "true");
  assert.strictEqual(api.LMSGetValue("cmi.core.student_id"), "s-1");
  assert.strictEqual(api.LMSGetValue("cmi.core.lesson_location"), "");
  assert.strictEqual(api.LMSGetLastError(), "0");
  assert.strictEqual(api.LMSSetValue("cmi.core.lesson_status", "not attempted"), "false");
  assert.strictEqual(api.LMSGetLastError(), "405");
  assert.strictEqual(api.LMSFinish(""), "true");
});

test("state changes go to the server in numbered batches, in order", async () => {
  const server = mockServer();
  const { api, outbox } = start2004(server);
  api.Initialize("");
  api.SetValue("cmi.location", "p1");
  api.SetValue("cmi.score.scaled", "5"); // refused: not recorded
  api.GetValue("cmi.location"); // reads are not recorded
  assert.strictEqual(api.Commit(""), "true");
  api.SetValue("cmi.suspend_data", "abc");
  api.SetValue("cmi.exit", "suspend");
  assert.strictEqual(api.Terminate(""), "true");
  await settleAll();
  const bodies = server.requests.map((r) => r.body);
  assert.deepStrictEqual(bodies.map((b) => b.sequence), [1, 2]);
  assert.deepStrictEqual(bodies[0], { token: "tok", sequence: 1, calls: [["SetValue", "cmi.location", "p1"], ["Commit"]] });
  assert.deepStrictEqual(bodies[1].calls, [["SetValue", "cmi.suspend_data", "abc"], ["SetValue", "cmi.exit", "suspend"], ["Terminate"]]);
  const init = server.requests[0].init;
  assert.strictEqual(init.method, "POST");
  assert.strictEqual(init.keepalive, true);
  assert.strictEqual(init.headers["Content-Type"], "application/json");
  assert.strictEqual(server.requests[0].url, "/api/v1/attempts/7/commit");
  assert.deepStrictEqual(outbox.unacknowledged, []);
  assert.strictEqual(server.durable.length, 5);
});

test("sequence numbers continue from nextSequence, and a repeat is acknowledged", async () => {
  const server = mockServer();
  server.next = 5;
  const { api, outbox } = start2004(server, { nextSequence: 4 });
  api.Initialize("");
  api.SetValue("cmi.location", "again");
  api.Commit("");
  await settleAll();
  // The server already had batch 4 (a retry after a lost answer): acknowledged, dropped.
  assert.deepStrictEqual(server.requests.map((r) => r.body.sequence), [4]);
  assert.deepStrictEqual(outbox.unacknowledged, []);
  api.SetValue("cmi.location", "new");
  api.Commit("");
  await settleAll();
  assert.deepStrictEqual(server.requests.map((r) => r.body.sequence), [4, 5]);
  assert.deepStrictEqual(server.durable, [["SetValue", "cmi.location", "new"], ["Commit"]]);
});

test("409 makes the adapter resend from the expected batch, in order", async () => {
  const server = mockServer();
  const { api, outbox } = start2004(server);
  api.Initialize("");
  server.down = true;
  api.SetValue("cmi.location", "a");
  api.Commit(""); // batch 1 is lost on the way
  await settleAll();
  assert.strictEqual(server.timers.length, 1, "a retry is scheduled");
  assert.strictEqual(server.timers[0].ms, 1000);
  server.down = false;
  // The retry sends batch 1 again, then batch 2.
  api.SetValue("cmi.location", "b");
  api.Commit("");
  server.timers.shift().fn();
  await settleAll();
  assert.deepStrictEqual(server.durable.map((c) => c[2] || c[0]), ["a", "Commit", "b", "Commit"]);
  assert.deepStrictEqual(outbox.unacknowledged, []);

  // Batches 1 and 2 wait; the server answers 409 {expected: 1} for batch 1 (it was
  // still committing a concurrent beacon of it): the adapter resends 1, then 2.
  const racing = mockServer();
  const realFetch = racing.env.fetch;
  let first = true;
  racing.env.fetch = (url, init) => {
    if (!first) return realFetch(url, init);
    first = false;
    racing.requests.push({ url, init, body: JSON.parse(init.body) });
    return Promise.resolve({ status: 409, json: () => Promise.resolve({ expected: 1 }) });
  };
  const second = start2004(racing);
  second.api.Initialize("");
  second.api.SetValue("cmi.location", "c");
  second.api.Commit("");
  second.api.SetValue("cmi.location", "d");
  second.api.Commit("");
  await settleAll();
  assert.strictEqual(racing.timers.length, 1, "the refused batch is retried after a pause");
  racing.timers.shift().fn();
  await settleAll();
  assert.deepStrictEqual(racing.requests.map((r) => r.body.sequence), [1, 1, 2]);
  assert.deepStrictEqual(racing.durable.map((c) => c[2] || c[0]), ["c", "Commit", "d", "Commit"]);
  assert.deepStrictEqual(second.outbox.unacknowledged, []);
});

test("a 409 for a batch the page no longer has stops sending", async () => {
  const server = mockServer();
  server.next = 2;
  const { api, outbox } = start2004(server, { nextSequence: 3 });
  api.Initialize("");
  api.SetValue("cmi.location", "x");
  api.Commit("");
  await settleAll();
  assert.match(outbox.stopped, /expects batch 2/);
  assert.deepStrictEqual(outbox.unacknowledged, [3]);
});

test("a refused token stops sending; retries back off", async () => {
  const server = mockServer();
  const { api, outbox } = start2004(server, { token: "wrong" });
  api.Initialize("");
  api.SetValue("cmi.location", "x");
  api.Commit("");
  await settleAll();
  assert.match(outbox.stopped, /403/);
  const flaky = mockServer();
  flaky.down = true;
  const second = start2004(flaky);
  second.api.Initialize("");
  second.api.SetValue("cmi.location", "x");
  second.api.Commit("");
  for (let i = 0; i < 8; i++) {
    await settleAll();
    flaky.timers[flaky.timers.length - 1].fn();
  }
  await settleAll();
  assert.deepStrictEqual(flaky.timers.map((t) => t.ms), [1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000]);
});

test("changes are sent every 30 s, and by beacon when the page is hidden", async () => {
  const server = mockServer();
  const { api, outbox } = start2004(server);
  api.Initialize("");
  assert.strictEqual(server.interval.ms, 30000);
  server.interval.fn();
  await settleAll();
  assert.strictEqual(server.requests.length, 0, "nothing to send");
  api.SetValue("cmi.location", "p2");
  server.interval.fn();
  await settleAll();
  assert.deepStrictEqual(server.requests.map((r) => r.body.calls), [[["SetValue", "cmi.location", "p2"]]]);
  api.SetValue("cmi.location", "p3");
  outbox.beacon();
  assert.strictEqual(server.beacons.length, 1);
  assert.strictEqual(server.beacons[0].url, "/api/v1/attempts/7/commit");
  assert.strictEqual(server.beacons[0].blob.type, "application/json");
  assert.deepStrictEqual(JSON.parse(server.beacons[0].blob.text), { token: "tok", sequence: 2, calls: [["SetValue", "cmi.location", "p3"]] });
  // A beacon has no answer: the batch stays until a later fetch is acknowledged.
  assert.deepStrictEqual(outbox.unacknowledged, [2]);
  api.Terminate("");
  assert.strictEqual(server.interval, null);
  await settleAll();
  assert.deepStrictEqual(server.requests.map((r) => r.body.sequence), [1, 2, 3]);
});

test("install puts the API on the window and sends a beacon on pagehide", () => {
  const server = mockServer();
  const listeners = {};
  const documentListeners = {};
  const win = {
    fetch: server.env.fetch,
    navigator: { sendBeacon: server.env.sendBeacon },
    Blob: server.env.Blob,
    setTimeout: server.env.setTimeout,
    setInterval: server.env.setInterval,
    clearInterval: server.env.clearInterval,
    addEventListener: (name, fn) => (listeners[name] = fn),
    document: { visibilityState: "visible", addEventListener: (name, fn) => (documentListeners[name] = fn) },
  };
  const attempt = { version: "1.2", model: MODEL_12, commitUrl: "/c", token: "tok", nextSequence: 1, values: {} };
  install(win, attempt);
  assert.strictEqual(typeof win.API.LMSInitialize, "function");
  assert.strictEqual(win.API_1484_11, undefined);
  win.API.LMSInitialize("");
  win.API.LMSSetValue("cmi.core.lesson_location", "x");
  win.document.visibilityState = "hidden";
  documentListeners.visibilitychange();
  assert.strictEqual(server.beacons.length, 1);
  listeners.pagehide();
  assert.strictEqual(server.beacons.length, 1, "pagehide right after visibilitychange sends nothing twice");
  assert.strictEqual(JSON.parse(server.beacons[0].blob.text).sequence, 1);
});

test("batches are cut below the keepalive limit", async () => {
  const server = mockServer();
  const win = {
    fetch: server.env.fetch,
    navigator: { sendBeacon: server.env.sendBeacon },
    Blob: server.env.Blob,
    setTimeout: server.env.setTimeout,
    setInterval: server.env.setInterval,
    clearInterval: server.env.clearInterval,
    addEventListener: () => {},
    document: { visibilityState: "visible", addEventListener: () => {} },
  };
  install(win, { version: "2004", model: MODEL_2004, commitUrl: "/c", token: "tok", nextSequence: 1, values: {} });
  win.API_1484_11.Initialize("");
  // Eight comments of ~10 kB each (in UTF-8, Japanese text costs 3 bytes a character) in one Commit.
  for (let i = 0; i < 8; i += 1) {
    assert.strictEqual(win.API_1484_11.SetValue(`cmi.comments_from_learner.${i}.comment`, "あ".repeat(3300)), "true");
  }
  win.API_1484_11.Commit("");
  for (let i = 0; i < 20; i += 1) await new Promise((resolve) => setImmediate(resolve));
  const sizes = server.requests.map((r) => Buffer.byteLength(r.init.body));
  assert.ok(sizes.length >= 2, `the commit was cut into several batches: ${sizes}`);
  assert.ok(sizes.every((n) => n < 60000), `batches under the limit: ${sizes}`);
  assert.ok(server.requests.every((r) => r.init.keepalive === true));
  assert.strictEqual(server.durable.length, 9, "every call arrived, in order");
});
