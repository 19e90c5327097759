/* Enhancements for the whole site. Everything here is optional: every page works
   without JavaScript. Loaded with `defer`, from this origin only (the
   Content-Security-Policy allows no inline script or style). */
(function () {
  "use strict";

  /* Archive pictures: paint the dominant colour and tiny preview behind an image
     until it loads, and size boxes of images not ready yet. The values come in
     data- attributes because the policy forbids style="" attributes; setting them
     through the DOM is allowed. */
  var HEX_COLOUR = /^#[0-9a-f]{6}$/i;
  var PREVIEW = /^data:image\/webp;base64,[A-Za-z0-9+/=]+$/;
  var RATIO = /^\d+ \/ \d+$/;

  function paintPlaceholders() {
    document.querySelectorAll("[data-placeholder-colour], [data-placeholder-image]").forEach(function (img) {
      var colour = img.getAttribute("data-placeholder-colour") || "";
      var preview = img.getAttribute("data-placeholder-image") || "";
      if (HEX_COLOUR.test(colour)) { img.style.backgroundColor = colour; }
      if (PREVIEW.test(preview)) {
        img.style.backgroundImage = "url(" + preview + ")";
        img.style.backgroundSize = "cover";
      }
    });
    document.querySelectorAll("[data-aspect-ratio]").forEach(function (box) {
      var ratio = box.getAttribute("data-aspect-ratio") || "";
      if (RATIO.test(ratio)) { box.style.aspectRatio = ratio; }
    });
  }

  /* Copy-link buttons: <button data-copy-link="ID of an input holding the URL" hidden>,
     inside a [data-share-link] element holding a [data-copy-status] live region
     (templates/includes/share_link.html). The button stays hidden where copying is
     impossible; the URL is still in the field to select. */
  function enableCopyButtons() {
    if (!navigator.clipboard || !window.isSecureContext) { return; }
    document.querySelectorAll("[data-copy-link]").forEach(function (button) {
      var field = document.getElementById(button.getAttribute("data-copy-link"));
      var scope = button.closest("[data-share-link]") || document;
      var status = scope.querySelector("[data-copy-status]");
      if (!field) { return; }
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(field.value).then(function () {
          if (status) { status.textContent = "Link copied. You can paste it into a message or post."; }
        }, function () {
          field.select();
          if (status) { status.textContent = "Could not copy: the link is selected, copy it with your keyboard or menu."; }
        });
      });
    });
  }

  /* The phone's own share sheet (the Web Share API) where the browser has one:
     <button data-web-share hidden> inside a [data-share] element carrying
     data-share-title and data-share-url (templates/sharing/share.html). Without it,
     or without JavaScript, the plain share links beside it do the same job. */
  function enableWebShare() {
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
  }

  paintPlaceholders();
  enableCopyButtons();
  enableWebShare();
})();
