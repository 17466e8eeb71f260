/*
 * Finding and talking to the LMS: the SCORM 1.2 `API` or the 2004 `API_1484_11` object, searched the
 * standard way (the window's parents, then the opener and its parents). With no LMS the SCO runs in
 * preview mode against an in-memory store and says so.
 */
(function (root, factory) {
  "use strict";
  const api = factory();
  if (typeof module === "object" && module.exports) {
    module.exports = api;
  } else {
    root.MistScorm = api;
  }
})(this, function () {
  "use strict";

  /** The ADL search depth; deeper nesting means a loop or a hostile page. */
  const MAX_DEPTH = 500;

  const VERSIONS = {
    "1.2": {
      object: "API",
      calls: {
        initialize: "LMSInitialize",
        get: "LMSGetValue",
        set: "LMSSetValue",
        commit: "LMSCommit",
        finish: "LMSFinish",
        lastError: "LMSGetLastError",
        errorString: "LMSGetErrorString",
      },
      elements: {
        entry: "cmi.core.entry",
        exit: "cmi.core.exit",
        location: "cmi.core.lesson_location",
        suspendData: "cmi.suspend_data",
        sessionTime: "cmi.core.session_time",
        language: "cmi.student_preference.language",
        learnerName: "cmi.core.student_name",
        interactionCount: "cmi.interactions._count",
        scoreRaw: "cmi.core.score.raw",
        scoreMin: "cmi.core.score.min",
        scoreMax: "cmi.core.score.max",
        lessonStatus: "cmi.core.lesson_status",
      },
    },
    "2004": {
      object: "API_1484_11",
      calls: {
        initialize: "Initialize",
        get: "GetValue",
        set: "SetValue",
        commit: "Commit",
        finish: "Terminate",
        lastError: "GetLastError",
        errorString: "GetErrorString",
      },
      elements: {
        entry: "cmi.entry",
        exit: "cmi.exit",
        location: "cmi.location",
        suspendData: "cmi.suspend_data",
        sessionTime: "cmi.session_time",
        language: "cmi.learner_preference.language",
        learnerName: "cmi.learner_name",
        interactionCount: "cmi.interactions._count",
        scoreRaw: "cmi.score.raw",
        scoreMin: "cmi.score.min",
        scoreMax: "cmi.score.max",
        scoreScaled: "cmi.score.scaled",
        completionStatus: "cmi.completion_status",
        successStatus: "cmi.success_status",
        progressMeasure: "cmi.progress_measure",
      },
    },
  };

  /** Reads `win[name]`, treating a cross-origin window as not having it. */
  function lookup(win, name) {
    try {
      return win && win[name] ? win[name] : null;
    } catch {
      return null;
    }
  }

  function parentOf(win) {
    try {
      return win.parent && win.parent !== win ? win.parent : null;
    } catch {
      return null;
    }
  }

  function openerOf(win) {
    try {
      return win.opener || null;
    } catch {
      return null;
    }
  }

  /** Searches `start` and its parents, then its opener and the opener's parents. */
  function findApi(start, name) {
    const searchUp = (from) => {
      let win = from;
      for (let depth = 0; win && depth <= MAX_DEPTH; depth += 1) {
        const found = lookup(win, name);
        if (found) {
          return found;
        }
        win = parentOf(win);
      }
      return null;
    };
    const opener = openerOf(start);
    return searchUp(start) || (opener ? searchUp(opener) : null);
  }

  /** A store standing in for the LMS when there is none. */
  function previewApi(version) {
    const values = new Map([[VERSIONS[version].elements.interactionCount, "0"]]);
    const calls = VERSIONS[version].calls;
    const api = {};
    api[calls.initialize] = () => "true";
    api[calls.get] = (element) => values.get(element) || "";
    api[calls.set] = (element, value) => {
      const match = /^cmi\.interactions\.(\d+)\.id$/.exec(element);
      if (match) {
        const count = VERSIONS[version].elements.interactionCount;
        values.set(count, String(Math.max(Number(values.get(count)), Number(match[1]) + 1)));
      }
      values.set(element, String(value));
      return "true";
    };
    api[calls.commit] = () => "true";
    api[calls.finish] = () => "true";
    api[calls.lastError] = () => "0";
    api[calls.errorString] = () => "";
    return { api, values };
  }

  /**
   * Connects to the LMS for `version` ("1.2" or "2004") from `win`. The result talks in logical
   * element names (`location`, `suspendData`, …) or raw `cmi.*` names, and never throws.
   */
  function connect(version, win) {
    const spec = VERSIONS[version];
    if (!spec) {
      throw new Error(`unknown SCORM version ${version}`);
    }
    const found = findApi(win, spec.object);
    const preview = found ? null : previewApi(version);
    const api = found || preview.api;
    const calls = spec.calls;
    const errors = [];
    let finished = false;

    const call = (method, ...args) => {
      try {
        return String(api[method](...args));
      } catch (error) {
        errors.push(`${method}: ${error}`);
        return "false";
      }
    };
    const check = (method, what, result) => {
      if (result !== "true") {
        const code = call(calls.lastError);
        errors.push(`${method}(${what}) failed: ${code} ${call(calls.errorString, code)}`);
      }
      return result === "true";
    };
    const element = (name) => spec.elements[name] || name;

    return {
      version,
      preview: !found,
      elements: spec.elements,
      errors,
      initialize() {
        return check(calls.initialize, "", call(calls.initialize, ""));
      },
      get(name) {
        return call(calls.get, element(name));
      },
      set(name, value) {
        const target = element(name);
        return check(calls.set, target, call(calls.set, target, String(value)));
      },
      commit() {
        return finished || check(calls.commit, "", call(calls.commit, ""));
      },
      finish() {
        if (finished) {
          return true;
        }
        finished = true;
        return check(calls.finish, "", call(calls.finish, ""));
      },
      get finished() {
        return finished;
      },
    };
  }

  return { connect, findApi, VERSIONS };
});
