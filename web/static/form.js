// The report form's place: a click on the map, or a gazetteer search,
// fills in the latitude and longitude (and the place name, from the
// gazetteer). Both fields stay editable by hand. On a draft's review
// page, each place read from the text offers itself too.
"use strict";

(function () {
  var cfg = truce.config();
  var made = truce.newMap("pick-map", cfg);
  var map = made.map;
  var lat = document.getElementById("lat");
  var lon = document.getElementById("lon");
  var place = document.getElementById("place");
  var marker = null;

  function put(la, lo, zoom) {
    lat.value = la.toFixed(5);
    lon.value = lo.toFixed(5);
    if (marker) {
      marker.setLatLng([la, lo]);
    } else {
      marker = L.marker([la, lo], {
        icon: L.divIcon({ className: "rep", html: '<span class="dot pick" id="pick-marker"></span>', iconSize: [18, 18] }),
        keyboard: false,
      }).addTo(map);
    }
    if (zoom) map.setView([la, lo], zoom);
  }

  map.on("click", function (e) {
    put(e.latlng.lat, e.latlng.lng);
  });

  // Typed coordinates move the marker too.
  function typed() {
    var la = parseFloat(lat.value);
    var lo = parseFloat(lon.value);
    if (isFinite(la) && isFinite(lo)) put(la, lo);
  }
  lat.addEventListener("change", typed);
  lon.addEventListener("change", typed);
  if (lat.value && lon.value) typed();

  document.querySelectorAll("button.use-place").forEach(function (b) {
    b.addEventListener("click", function () {
      put(parseFloat(b.dataset.lat), parseFloat(b.dataset.lon), 12);
      place.value = b.dataset.place;
      lat.focus();
    });
  });

  var q = document.getElementById("place-q");
  var results = document.getElementById("place-results");
  function search() {
    if (!q.value.trim()) return;
    truce.getJSON("/places?q=" + encodeURIComponent(q.value)).then(function (body) {
      results.textContent = "";
      body.places.forEach(function (p) {
        var li = document.createElement("li");
        var b = document.createElement("button");
        b.type = "button";
        b.textContent = p.name + " — " + p.name_ar + " (" + (cfg.governorates[p.adm1] || p.adm1) + ", " + p.pcode + ")";
        b.addEventListener("click", function () {
          put(p.lat, p.lon, 12);
          place.value = p.name;
          results.textContent = "";
          lat.focus();
        });
        li.appendChild(b);
        results.appendChild(li);
      });
      if (!body.places.length) results.textContent = "—";
    }).catch(function (err) {
      results.textContent = err.message;
    });
  }
  document.getElementById("place-go").addEventListener("click", search);
  q.addEventListener("keydown", function (e) {
    if (e.key === "Enter") {
      e.preventDefault();
      search();
    }
  });
})();
