// The web editor speaks Vietnamese unless its user chose another language in its settings
// (Sveltia CMS keeps that choice in localStorage under "sveltia-cms.prefs").
(function () {
  try {
    var key = "sveltia-cms.prefs";
    var prefs = JSON.parse(localStorage.getItem(key) || "{}") || {};
    if (!prefs.locale) {
      prefs.locale = "vi";
      localStorage.setItem(key, JSON.stringify(prefs));
    }
  } catch (e) {
    // Storage refused (private mode): the browser's language decides.
  }
})();
