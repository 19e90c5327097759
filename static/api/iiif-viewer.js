/* Deep zoom on object pages: reads the object's IIIF manifest and opens each
   canvas's image service in OpenSeadragon. Without JavaScript the page shows the
   ordinary images and the manifest link; the button only appears when this runs. */
(function () {
  "use strict";

  function imageServices(manifest) {
    var services = [];
    (manifest.items || []).forEach(function (canvas) {
      (canvas.items || []).forEach(function (page) {
        (page.items || []).forEach(function (annotation) {
          var body = annotation.body || {};
          var service = (body.service || [])[0];
          if (service && service.id) {
            services.push(service.id.replace(/\/$/, "") + "/info.json");
          }
        });
      });
    });
    return services;
  }

  function openViewer(element, button) {
    element.hidden = false;
    button.setAttribute("aria-expanded", "true");
    button.textContent = "Close the zoomable view";
    if (element.dataset.iiifStatus) {
      element.focus();
      return;
    }
    element.dataset.iiifStatus = "loading";
    Promise.all([
      loadOpenSeadragon(element.dataset.iiifScript),
      fetch(element.dataset.iiifManifest, { headers: { Accept: "application/ld+json" } }),
    ])
      .then(function (loaded) {
        return loaded[1];
      })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("manifest " + response.status);
        }
        return response.json();
      })
      .then(function (manifest) {
        var sources = imageServices(manifest);
        var viewer = window.OpenSeadragon({
          element: element,
          prefixUrl: element.dataset.iiifPrefix,
          tileSources: sources,
          sequenceMode: sources.length > 1,
          showReferenceStrip: sources.length > 1,
          drawer: "canvas",
          crossOriginPolicy: "Anonymous",
          gestureSettingsMouse: { scrollToZoom: true },
        });
        viewer.addHandler("tile-loaded", function () {
          element.dataset.iiifStatus = "ready";
        });
        viewer.addHandler("open-failed", function () {
          element.dataset.iiifStatus = "failed";
        });
        element.focus();
      })
      .catch(function () {
        element.dataset.iiifStatus = "failed";
        element.textContent = "The zoomable view could not be loaded. The images above are still available.";
      });
  }

  /* OpenSeadragon is big: fetch it (from this site) only when someone opens the viewer. */
  function loadOpenSeadragon(src) {
    if (window.OpenSeadragon) {
      return Promise.resolve();
    }
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  function closeViewer(element, button) {
    element.hidden = true;
    button.setAttribute("aria-expanded", "false");
    button.textContent = "Zoom in on the images";
    button.focus();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var element = document.getElementById("iiif-viewer");
    var button = document.querySelector("[data-iiif-open]");
    if (!element || !button || !window.fetch || !window.Promise) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      if (element.hidden) {
        openViewer(element, button);
      } else {
        closeViewer(element, button);
      }
    });
  });
})();
