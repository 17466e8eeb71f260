"use strict";
// Replays the runtime's answers (fixtures written by mist-scorm/tests/adapter.rs) through
// the adapter's API objects: every return value and error code must be the same.
const test = require("node:test");
const assert = require("node:assert");
const fs = require("node:fs");
const path = require("node:path");
const { createApi } = require("../mist-scorm-api.js");

const fixture = (name) => JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures", name), "utf8"));

const NAMES = {
  "1.2": { Initialize: "LMSInitialize", Terminate: "LMSFinish", GetValue: "LMSGetValue", SetValue: "LMSSetValue",
    Commit: "LMSCommit", GetLastError: "LMSGetLastError", GetErrorString: "LMSGetErrorString", GetDiagnostic: "LMSGetDiagnostic" },
  "2004": { Initialize: "Initialize", Terminate: "Terminate", GetValue: "GetValue", SetValue: "SetValue",
    Commit: "Commit", GetLastError: "GetLastError", GetErrorString: "GetErrorString", GetDiagnostic: "GetDiagnostic" },
};

/** A transport that accepts batches and never answers: agreement is about the calls. */
const silentEnv = () => ({ fetch: () => new Promise(() => {}), setTimeout: () => 0 });

function agree(tag) {
  const model = fixture(`model-${tag}.json`);
  const corpus = fixture(`agreement-${tag}.json`);
  let passed = 0;
  let total = 0;
  const failures = [];
  for (const session of corpus.sessions) {
    const attempt = { model, values: session.values, access: session.access, commitUrl: "/commit", token: "t", nextSequence: 1 };
    const { api, runtime } = createApi(attempt, silentEnv());
    for (const call of session.calls) {
      const [method, ...rest] = call;
      const code = rest.pop();
      const expected = rest.pop();
      const returned = api[NAMES[model.version][method]](...rest);
      total += 1;
      if (returned === expected && runtime.lastErrorCode() === code) {
        passed += 1;
      } else if (failures.length < 20) {
        failures.push(`${session.label}: ${JSON.stringify(call).slice(0, 300)} -> ${JSON.stringify(returned).slice(0, 200)} / ${runtime.lastErrorCode()}`);
      }
    }
  }
  console.log(`agreement ${model.version}: ${passed}/${total} calls agree`);
  return { passed, total, failures };
}

for (const tag of ["12", "2004"]) {
  test(`the adapter answers the SCORM ${tag} corpus as the runtime does`, () => {
    const { passed, total, failures } = agree(tag);
    assert.ok(total > 10000, "the corpus is there");
    assert.deepStrictEqual(failures, []);
    assert.strictEqual(passed, total);
  });
}
