// Inside an embed iframe: tell the host page our height, in nguoitot's own message format
// (for embed.js) and in WordPress's embed protocol (#?secret=…), so both resize the iframe; in
// WordPress, ask the host to open a link the sandbox keeps the card from opening.
(function () {
  var match = /[#&?]secret=([A-Za-z0-9]+)/.exec(location.hash);
  var secret = match && match[1];
  var last = 0;
  function send() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last || window.parent === window) return;
    last = height;
    window.parent.postMessage({ type: "nguoitot-embed", height: height, url: location.href.split("#")[0] }, "*");
    if (secret) window.parent.postMessage({ message: "height", value: height, secret: secret }, "*");
  }
  // A story card has a fixed height: its summary shows as many whole lines as fit.
  var summary = document.querySelector(".embed-story .embed-summary");
  function fit() {
    if (!summary) return;
    var style = getComputedStyle(summary);
    var line = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.5;
    var lines = String(Math.max(1, Math.floor((summary.clientHeight + 0.5) / line)));
    summary.style.webkitLineClamp = lines;
    summary.style.lineClamp = lines;
  }
  fit();
  window.addEventListener("load", function () { fit(); send(); });
  window.addEventListener("resize", function () { fit(); send(); });
  // A host script that loads after this card (embed.js is `async`, as is wp-embed.js) asks again.
  window.addEventListener("message", function (e) {
    var d = e.data;
    if (d && ((d.message === "ready" && d.secret === secret) || d.type === "nguoitot-embed-ready")) { last = 0; send(); }
  });
  if (window.ResizeObserver) new ResizeObserver(send).observe(document.documentElement);
  send();
  // WordPress puts the card in <iframe sandbox="allow-scripts">, where a link cannot open the
  // story: its wp-embed.js opens the address when the card asks with the secret.
  if (secret) document.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest("a[href]");
    if (!a || window.parent === window) return;
    e.preventDefault();
    window.parent.postMessage({ message: "link", value: a.href, secret: secret }, "*");
  });
})();
