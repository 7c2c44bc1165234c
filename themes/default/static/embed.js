// For host pages that embed nguoitot stories: resizes every <iframe data-nguoitot-embed> to the
// height its card reports. No dependencies; include once per page.
(function () {
  window.addEventListener("message", function (e) {
    var d = e.data;
    if (!d || d.type !== "nguoitot-embed" || typeof d.height !== "number") return;
    var frames = document.querySelectorAll("iframe[data-nguoitot-embed]");
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === e.source) {
        var h = Math.max(80, Math.min(Math.round(d.height), 4000));
        frames[i].style.height = h + "px";
        frames[i].setAttribute("height", String(h));
      }
    }
  });
  // Cards that loaded before this script told their height to no one: ask them again.
  var frames = document.querySelectorAll("iframe[data-nguoitot-embed]");
  for (var i = 0; i < frames.length; i++) {
    if (frames[i].contentWindow) frames[i].contentWindow.postMessage({ type: "nguoitot-embed-ready" }, "*");
  }
})();
