"use strict";
// Finding the LMS API and talking to it, with mock APIs standing in for an LMS.
const test = require("node:test");
const assert = require("node:assert/strict");
const { connect, findApi } = require("../src/scorm.js");

/** A mock SCORM 1.2 or 2004 API recording every call; `failOn` makes SetValue of that element fail. */
function mockApi(version, failOn) {
  const calls = [];
  const values = { "cmi.suspend_data": "stored", "cmi.interactions._count": "0" };
  const names = version === "1.2"
    ? ["LMSInitialize", "LMSGetValue", "LMSSetValue", "LMSCommit", "LMSFinish", "LMSGetLastError", "LMSGetErrorString"]
    : ["Initialize", "GetValue", "SetValue", "Commit", "Terminate", "GetLastError", "GetErrorString"];
  const [init, get, set, commit, finish, lastError, errorString] = names;
  let error = "0";
  const api = {
    [init]: (arg) => { calls.push([init, arg]); return "true"; },
    [get]: (element) => { calls.push([get, element]); return values[element] || ""; },
    [set]: (element, value) => {
      calls.push([set, element, value]);
      if (element === failOn) { error = "405"; return "false"; }
      values[element] = value;
      return "true";
    },
    [commit]: (arg) => { calls.push([commit, arg]); return "true"; },
    [finish]: (arg) => { calls.push([finish, arg]); return "true"; },
    [lastError]: () => error,
    [errorString]: (code) => `error ${code}`,
  };
  return { api, calls, values };
}

/** A window chain: the SCO's window inside `depth` parents, the top one holding `props`. */
function windows(depth, props, opener) {
  const top = { ...props };
  top.parent = top;
  let win = top;
  for (let i = 0; i < depth; i += 1) {
    win = { parent: win };
  }
  win.opener = opener || null;
  return win;
}

test("the 1.2 API is found in a parent, and logical names map to cmi.core", () => {
  const lms = mockApi("1.2");
  const sco = connect("1.2", windows(3, { API: lms.api }));
  assert.equal(sco.preview, false);
  assert.ok(sco.initialize());
  assert.equal(sco.get("suspendData"), "stored");
  assert.ok(sco.set("location", "lesson-2"));
  assert.ok(sco.set("lessonStatus", "incomplete"));
  assert.ok(sco.commit());
  assert.ok(sco.finish());
  assert.deepEqual(lms.calls, [
    ["LMSInitialize", ""],
    ["LMSGetValue", "cmi.suspend_data"],
    ["LMSSetValue", "cmi.core.lesson_location", "lesson-2"],
    ["LMSSetValue", "cmi.core.lesson_status", "incomplete"],
    ["LMSCommit", ""],
    ["LMSFinish", ""],
  ]);
});

test("the 2004 API is found through the opener when no parent has it", () => {
  const lms = mockApi("2004");
  const opener = windows(2, { API_1484_11: lms.api });
  const sco = connect("2004", windows(1, {}, opener));
  assert.equal(sco.preview, false);
  sco.initialize();
  sco.set("completionStatus", "completed");
  sco.set("cmi.interactions.0.id", "q1");
  assert.deepEqual(lms.calls.slice(1), [
    ["SetValue", "cmi.completion_status", "completed"],
    ["SetValue", "cmi.interactions.0.id", "q1"],
  ]);
});

test("a 1.2 API is not taken for a 2004 package", () => {
  const sco = connect("2004", windows(0, { API: mockApi("1.2").api }));
  assert.equal(sco.preview, true);
});

test("the search stops at 500 levels and survives cross-origin frames", () => {
  assert.equal(findApi(windows(600, { API: {} }), "API"), null);
  assert.ok(findApi(windows(499, { API: {} }), "API"));
  const hostile = { get parent() { throw new Error("SecurityError"); } };
  Object.defineProperty(hostile, "API", { get() { throw new Error("SecurityError"); } });
  assert.equal(findApi(hostile, "API"), null);
});

test("without an LMS the SCO runs in preview mode and keeps values in memory", () => {
  const sco = connect("2004", windows(2, {}));
  assert.equal(sco.preview, true);
  assert.ok(sco.initialize());
  assert.equal(sco.get("suspendData"), "");
  sco.set("suspendData", "x");
  sco.set("cmi.interactions.0.id", "q");
  sco.set("cmi.interactions.1.id", "r");
  assert.equal(sco.get("suspendData"), "x");
  assert.equal(sco.get("interactionCount"), "2");
});

test("failed calls are recorded with the LMS's error, and finishing twice calls the LMS once", () => {
  const lms = mockApi("2004", "cmi.exit");
  const sco = connect("2004", windows(0, { API_1484_11: lms.api }));
  sco.initialize();
  assert.equal(sco.set("exit", "bogus"), false);
  assert.match(sco.errors[0], /SetValue\(cmi\.exit\) failed: 405 error 405/);
  assert.ok(sco.finish());
  assert.ok(sco.finish());
  assert.ok(sco.commit(), "a commit after finishing is a no-op");
  assert.equal(lms.calls.filter(([name]) => name === "Terminate").length, 1);
  assert.equal(lms.calls.filter(([name]) => name === "Commit").length, 0);
});

test("an API that throws is an error, not a crash", () => {
  const api = { Initialize() { throw new Error("boom"); }, GetLastError: () => "101", GetErrorString: () => "" };
  const sco = connect("2004", windows(0, { API_1484_11: api }));
  assert.equal(sco.initialize(), false);
  assert.ok(sco.errors.some((e) => e.includes("boom")));
});
