/* The phone's own share sheet (the Web Share API) where the browser has one.
   Without it, or without JavaScript, the plain links beside it do the same job.
   Loaded from this origin under the site's strict policy; sends nothing anywhere. */
(function () {
  "use strict";
  if (!navigator.share) { return; }
  document.querySelectorAll("[data-share]").forEach(function (box) {
    var button = box.querySelector("[data-web-share]");
    if (!button) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.share({
        title: box.getAttribute("data-share-title") || document.title,
        url: box.getAttribute("data-share-url") || location.href
      }).catch(function () { /* dismissed: the links are still there */ });
    });
  });
})();
