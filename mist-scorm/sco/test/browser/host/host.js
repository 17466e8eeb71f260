/* A minimal LMS page: scorm-again's API as window.API / window.API_1484_11 and the SCO in an iframe. */
(function () {
  "use strict";
  let api = null;
  const host = { commits: 0, terminated: false, errors: [] };

  host.launch = function (version, url, saved) {
    const settings = { autocommit: false, logLevel: 4, lmsCommitUrl: false };
    api = version === "1.2" ? new window.Scorm12API(settings) : new window.Scorm2004API(settings);
    if (saved) {
      api.loadFromJSON(saved, "");
    }
    const v12 = version === "1.2";
    api.on(v12 ? "LMSCommit" : "Commit", function () { host.commits += 1; });
    api.on(v12 ? "LMSFinish" : "Terminate", function () { host.terminated = true; });
    api.on(v12 ? "LMSSetValue.cmi.*" : "SetValue.cmi.*", function (element, value) {
      const code = api.lmsGetLastError ? api.lmsGetLastError() : api.GetLastError();
      if (String(code) !== "0") {
        host.errors.push(element + "=" + value + " -> " + code);
      }
    });
    if (v12) {
      window.API = api;
    } else {
      window.API_1484_11 = api;
    }
    document.getElementById("sco").src = url;
  };

  host.unload = function () {
    document.getElementById("sco").src = "about:blank";
  };

  host.snapshot = function () {
    return JSON.parse(JSON.stringify(api.renderCMIToJSONObject()));
  };

  window.host = host;
})();
