/* With ?sco=child, the SCO runs in a child iframe and finds the API through window.parent. */
(function () {
  "use strict";
  if (new URLSearchParams(window.location.search).get("sco") === "child") {
    const frame = document.createElement("iframe");
    frame.src = "/browser/sco.html";
    frame.title = "SCO";
    document.body.appendChild(frame);
  }
})();
