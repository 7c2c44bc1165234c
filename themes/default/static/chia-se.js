// Story page helpers: copy the link or the embed snippet, and the phone's share sheet (Zalo,
// Messenger…). The buttons stay hidden without JavaScript; the plain links still work.
document.querySelectorAll("[data-copy]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () {
    var source = document.getElementById(button.dataset.copy);
    var text = source ? (source.value || source.textContent) : location.href;
    navigator.clipboard.writeText(text).then(function () {
      var label = button.textContent;
      button.textContent = "Đã sao chép";
      setTimeout(function () { button.textContent = label; }, 2000);
    });
  });
});
var share = document.querySelector("[data-share]");
if (share && navigator.share) {
  share.hidden = false;
  share.addEventListener("click", function () {
    navigator.share({ title: document.title, url: share.dataset.share }).catch(function () {});
  });
}
