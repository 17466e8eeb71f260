/*
 * The launch page's setup: window.MIST_ATTEMPT, defined before the adapter's script runs. A server
 * inlines it; here the harness in the parent window builds it from the fixture session.
 */
(function () {
  "use strict";
  const key = new URLSearchParams(window.location.search).get("attempt");
  window.MIST_ATTEMPT = JSON.parse(window.parent.harness.attemptJson(key));
})();
