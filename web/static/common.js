// What the map page and the report form share: the page's configuration,
// fetching JSON from the map room, and the base map of governorates.
"use strict";

var truce = (function () {
  function config() {
    var el = document.getElementById("map-config");
    return el ? JSON.parse(el.textContent) : {};
  }

  // getJSON fetches a map room endpoint with the session cookie; an error
  // answer rejects with the server's message.
  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(function (res) {
      return res.json().then(function (body) {
        if (!res.ok) {
          throw new Error(body && body.error ? body.error.message : res.status + " " + res.statusText);
        }
        return body;
      });
    });
  }

  // newMap makes a Leaflet map over Syria with no tile server: the base
  // map is the governorates, drawn as vectors.
  function newMap(id, cfg) {
    var a = cfg.area || [35.5, 32.3, 42.4, 37.4];
    var map = L.map(id, {
      zoomSnap: 0.5,
      minZoom: 6,
      maxZoom: 16,
      keyboard: true,
      preferCanvas: false,
      attributionControl: true,
    });
    map.attributionControl.setPrefix("Leaflet");
    map.fitBounds([[a[1], a[0]], [a[3], a[2]]]);
    map.setMaxBounds([[a[1] - 3, a[0] - 4], [a[3] + 3, a[2] + 4]]);
    var base = L.geoJSON(null, {
      style: { color: "#7d8a99", weight: 1, fillColor: "#f4f1ea", fillOpacity: 1 },
      interactive: false,
      attribution: '<a href="/attribution">OCHA</a>',
    }).addTo(map);
    getJSON("/map/base.geojson").then(function (fc) {
      base.addData(fc);
      base.bringToBack();
    });
    return { map: map, base: base };
  }

  function escapeHTML(s) {
    return String(s == null ? "" : s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  return { config: config, getJSON: getJSON, newMap: newMap, escapeHTML: escapeHTML };
})();
