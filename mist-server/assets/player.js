// Video watch tracking for the native player: reports the spans actually played (not the furthest
// position reached), so skipping ahead does not count as watching. Spans go to the server every few
// seconds and when the page is hidden.
(function () {
  "use strict";
  const MAX_SPAN = 25;
  for (const video of document.querySelectorAll("video[data-mist-video]")) {
    // The span being played, from `start` to `last` (the latest position reached by playing), or null.
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
    const playing = function () { return !video.paused && !video.seeking; };
    // Sends the span; a new one begins here if the video still plays.
    const flush = function (beacon) {
      if (start !== null && last !== null) { send(start, last, beacon); }
      start = playing() ? video.currentTime : null;
      last = start;
    };
    // Played up to the current position (on pause, end, leaving): not only up to the last timeupdate.
    const reach = function () {
      const now = video.currentTime;
      if (start !== null && !video.seeking && now >= last) { last = now; }
    };
    // Playback (re)starts here: the first frames count, not only those after the first timeupdate.
    const begin = function () {
      if (playing()) { start = video.currentTime; last = start; }
    };
    video.addEventListener("playing", begin);
    video.addEventListener("seeked", begin);
    // A seek (slider, keys, script) ends the span where playing had reached; the target is not watched.
    video.addEventListener("seeking", function () { flush(false); start = null; last = null; });
    video.addEventListener("timeupdate", function () {
      // Positions reached while paused or seeking (scrubbing the slider) are not watched.
      if (!playing() || start === null) { return; }
      const now = video.currentTime;
      // A seek always fires `seeking`, which ends the span; a position behind the last one is a replay.
      // (Under load `timeupdate` can come seconds apart at a high rate: that time was played.)
      if (now < last) { flush(false); start = now; }
      last = now;
      if (last - start >= MAX_SPAN) { flush(false); }
    });
    video.addEventListener("pause", function () { reach(); flush(false); });
    video.addEventListener("ended", function () { reach(); flush(false); });
    const leave = function () { reach(); flush(true); };
    document.addEventListener("visibilitychange", function () { if (document.visibilityState === "hidden") { leave(); } });
    window.addEventListener("pagehide", leave);
  }
})();
