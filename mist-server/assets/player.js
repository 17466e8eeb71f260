// Video watch tracking for the native player: reports the spans actually played (not the furthest
// position reached), so skipping ahead does not count as watching. Spans go to the server every few
// seconds and when the page is hidden.
(function () {
  "use strict";
  const MAX_SPAN = 25;
  for (const video of document.querySelectorAll("video[data-mist-video]")) {
    let start = null;
    let last = null;
    const send = function (from, to, beacon) {
      if (!(to > from)) { return; }
      const body = JSON.stringify({
        course: video.dataset.course, module: video.dataset.module, lesson: video.dataset.lesson, from: from, to: to,
      });
      if (beacon && navigator.sendBeacon) {
        navigator.sendBeacon("/api/v1/progress/video", new Blob([body], { type: "application/json" }));
      } else {
        fetch("/api/v1/progress/video", { method: "POST", headers: { "Content-Type": "application/json" }, body: body, keepalive: true, credentials: "same-origin" });
      }
    };
    const flush = function (beacon) {
      if (start !== null && last !== null) { send(start, last, beacon); }
      start = video.paused ? null : video.currentTime;
      last = start;
    };
    video.addEventListener("timeupdate", function () {
      const now = video.currentTime;
      if (start === null || last === null || now < last || now - last > 2) {
        flush(false);
        start = now;
      }
      last = now;
      if (last - start >= MAX_SPAN) { flush(false); }
    });
    video.addEventListener("pause", function () { flush(false); });
    video.addEventListener("ended", function () { flush(false); });
    document.addEventListener("visibilitychange", function () { if (document.visibilityState === "hidden") { flush(true); } });
    window.addEventListener("pagehide", function () { flush(true); });
  }
})();
