/*
 * The test harness page. For each fixture session it opens the launch page (lms.html) in an iframe
 * with that session's window.MIST_ATTEMPT, lets the SCO (the launch page itself, or a child iframe
 * of it) replay the session's calls through the API it finds, and removes the iframe again.
 */
(function () {
  "use strict";
  const fixtures = new Map();
  const attempts = new Map();
  const FRAME_TIMEOUT_MS = 15000;

  async function getJson(url) {
    const response = await fetch(url);
    if (!response.ok) throw new Error("GET " + url + ": " + response.status);
    return response.json();
  }

  /** Fetches model-TAG.json and agreement-TAG.json; answers what the corpus holds. */
  async function load(tag) {
    if (!fixtures.has(tag)) {
      const [model, corpus] = await Promise.all([getJson("/fixtures/model-" + tag + ".json"),
        getJson("/fixtures/agreement-" + tag + ".json")]);
      fixtures.set(tag, { model, corpus });
    }
    const { model, corpus } = fixtures.get(tag);
    const calls = corpus.sessions.reduce((sum, session) => sum + session.calls.length, 0);
    return { version: model.version, sessions: corpus.sessions.length, calls };
  }

  /** window.MIST_ATTEMPT for session `index`, as the contract (README) describes it. */
  function attemptFor(tag, index) {
    const { model, corpus } = fixtures.get(tag);
    const session = corpus.sessions[index];
    return {
      version: model.version,
      commitUrl: "/commit/" + tag + "/" + index,
      token: "token-" + tag + "-" + index,
      nextSequence: 1,
      values: session.values,
      access: session.access,
      model,
    };
  }

  function open(src) {
    return new Promise((resolve, reject) => {
      const frame = document.createElement("iframe");
      const timer = setTimeout(() => reject(new Error(src + " did not load in " + FRAME_TIMEOUT_MS + " ms")), FRAME_TIMEOUT_MS);
      frame.addEventListener("load", () => {
        clearTimeout(timer);
        resolve(frame);
      }, { once: true });
      frame.src = src;
      document.getElementById("frames").appendChild(frame);
    });
  }

  /** Replays one session in a fresh launch page; the SCO is the page itself or its child iframe. */
  async function replaySession(tag, index, child, maxFailures) {
    const { model, corpus } = fixtures.get(tag);
    const session = corpus.sessions[index];
    const key = tag + "-" + index;
    attempts.set(key, JSON.stringify(attemptFor(tag, index)));
    const frame = await open("/browser/lms.html?attempt=" + key + (child ? "&sco=child" : ""));
    attempts.delete(key);
    try {
      const sco = child ? frame.contentWindow.frames[0] : frame.contentWindow;
      if (!sco || !sco.SCO) throw new Error(session.label + ": the SCO page did not load");
      const answer = sco.SCO.replay(model.version, session.label, session.calls, maxFailures);
      if (answer.hops !== (child ? 1 : 0)) throw new Error(session.label + ": the API was found " + answer.hops + " windows up");
      if (model.version === "2004" && answer.apiVersion !== "1.0") throw new Error("API_1484_11.version is " + answer.apiVersion);
      return answer;
    } finally {
      frame.remove();
    }
  }

  /**
   * Replays sessions [from, to), `lanes` at a time (each in its own launch page, so they do not
   * share anything); every `childEvery`-th session's SCO runs in a child iframe.
   */
  async function replay(tag, from, to, options) {
    const result = { passed: 0, total: 0, sessions: 0, child: 0, failures: [] };
    let next = from;
    const lane = async () => {
      for (let index = next++; index < to; index = next++) {
        const child = index % options.childEvery === 0;
        const answer = await replaySession(tag, index, child, Math.max(0, options.maxFailures - result.failures.length));
        result.passed += answer.passed;
        result.total += answer.total;
        result.sessions += 1;
        result.child += child ? 1 : 0;
        result.failures.push(...answer.failures);
      }
    };
    await Promise.all(Array.from({ length: options.lanes }, lane));
    return result;
  }

  window.harness = {
    load,
    replay,
    attemptJson: (key) => attempts.get(key),
  };
})();
