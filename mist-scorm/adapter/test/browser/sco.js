/*
 * What a SCO does: find the API object by walking up window.parent (the ADL algorithm, at most 7
 * levels), then call it. replay() runs a fixture session's calls and checks every answer and the
 * error code that GetLastError reports after it.
 */
(function () {
  "use strict";
  const NAMES = {
    "1.2": { api: "API", Initialize: "LMSInitialize", Terminate: "LMSFinish", GetValue: "LMSGetValue",
      SetValue: "LMSSetValue", Commit: "LMSCommit", GetLastError: "LMSGetLastError",
      GetErrorString: "LMSGetErrorString", GetDiagnostic: "LMSGetDiagnostic" },
    "2004": { api: "API_1484_11", Initialize: "Initialize", Terminate: "Terminate", GetValue: "GetValue",
      SetValue: "SetValue", Commit: "Commit", GetLastError: "GetLastError",
      GetErrorString: "GetErrorString", GetDiagnostic: "GetDiagnostic" },
  };
  const MAX_HOPS = 7;

  /** The API object and how many parents up it was found, or null. */
  function find(version) {
    const name = NAMES[version].api;
    let win = window;
    for (let hops = 0; hops <= MAX_HOPS; hops += 1) {
      if (win[name] !== undefined && win[name] !== null) return { api: win[name], hops };
      if (win.parent === null || win.parent === win) break;
      win = win.parent;
    }
    return null;
  }

  const clip = (value, length) => (typeof value === "string" && value.length > length ? value.slice(0, length) + "…" : value);

  /** Replays `calls` ([method, ...arguments, expected return, expected error code]). */
  function replay(version, label, calls, maxFailures) {
    const names = NAMES[version];
    const found = find(version);
    if (found === null) throw new Error(label + ": the SCO found no " + names.api + " in its window or its parents");
    const api = found.api;
    const result = { hops: found.hops, passed: 0, total: 0, failures: [], apiVersion: api.version };
    for (const call of calls) {
      const args = call.slice(1, -2);
      const expected = call[call.length - 2];
      const code = String(call[call.length - 1]);
      const returned = api[names[call[0]]].apply(api, args);
      const error = api[names.GetLastError]();
      result.total += 1;
      if (returned === expected && error === code) {
        result.passed += 1;
      } else if (result.failures.length < maxFailures) {
        result.failures.push({ label, call: call.map((part) => clip(part, 120)), returned: clip(returned, 200), error });
      }
    }
    return result;
  }

  window.SCO = { find, replay };
})();
