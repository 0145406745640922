// The map page: the agreed map at the slider's date (control zones,
// contested ones hatched; lines of contact; designated groups' positions)
// and the reports up to that date, clustered and coloured by consensus.
// Every layer comes from the map room's endpoints, which apply the
// viewer's authorisation and disclosure on the server. New log entries
// arrive as server-sent events and the reports are fetched again.
"use strict";

(function () {
  var cfg = truce.config();
  var t = cfg.texts || {};
  var esc = truce.escapeHTML;
  var made = truce.newMap("map", cfg);
  var map = made.map;

  function actor(id) {
    return (cfg.actors && cfg.actors[id]) || { name: id || t.unknown, colour: "#d4a017" };
  }

  var zones = L.geoJSON(null, {
    style: function (f) {
      var p = f.properties || {};
      if (p.kind !== "control") {
        return { color: "#1f4e79", weight: 2, dashArray: "8 4", fill: false };
      }
      if (p.contested_between && p.contested_between.length) {
        return { color: "#8a5a00", weight: 1, fillOpacity: 0.8, className: "zone-contested" };
      }
      var c = actor(p.controller).colour;
      return { color: c, weight: 1, fillColor: c, fillOpacity: 0.35 };
    },
    onEachFeature: function (f, layer) {
      var p = f.properties || {};
      var who = p.controller ? actor(p.controller).name : (p.contested_between || []).map(function (id) { return actor(id).name; }).join(" / ");
      layer.bindPopup("<b>" + esc(who) + "</b><br>" + esc(p.name || p.kind) + "<br><small>" + esc((p.valid_from || "").slice(0, 10)) + "</small>");
    },
  });
  var lines = L.geoJSON(null, {
    style: function (f) {
      var d = f.properties && f.properties.designated && f.properties.designated.length;
      return d ? { color: "#111", weight: 3, dashArray: "6 4" } : { color: "#b03a2e", weight: 2 };
    },
    onEachFeature: function (f, layer) {
      var p = f.properties || {};
      var sides = (p.sides || []).map(function (s) { return (s || []).map(function (id) { return actor(id).name; }).join(" / "); });
      layer.bindPopup(esc(sides.join(" | ")) + "<br><small>" + esc(p.length_km) + " km</small>");
    },
  });
  var positions = L.geoJSON(null, {
    pointToLayer: function (f, ll) {
      var a = actor(f.properties.actor);
      return L.circle(ll, { radius: f.properties.radius_m || 500, color: a.colour, weight: 2, dashArray: "3 3", fillColor: a.colour, fillOpacity: 0.15 });
    },
    onEachFeature: function (f, layer) {
      var p = f.properties || {};
      layer.bindPopup("<b>" + esc(actor(p.actor).name) + "</b><br>" + esc(cfg.states[p.consensus] || p.consensus) + "<br><small>" + esc((p.observed_at || "").slice(0, 10)) + "</small>");
    },
  });
  var reports = L.markerClusterGroup({
    maxClusterRadius: 40,
    disableClusteringAtZoom: 12,
    showCoverageOnHover: false,
    iconCreateFunction: function (cluster) {
      // A cluster takes the colour of its most frequent state.
      var counts = {};
      var top = "pending";
      cluster.getAllChildMarkers().forEach(function (m) {
        counts[m.options.state] = (counts[m.options.state] || 0) + 1;
        if (counts[m.options.state] > (counts[top] || 0)) top = m.options.state;
      });
      var n = cluster.getChildCount();
      return L.divIcon({ className: "cluster", html: '<span class="cluster-dot state-' + esc(top) + '">' + n + "</span>", iconSize: [34, 34] });
    },
  });
  zones.addTo(map);
  lines.addTo(map);
  positions.addTo(map);
  reports.addTo(map);
  var overlays = {};
  overlays[t.basemap] = made.base;
  overlays[t.zones] = zones;
  overlays[t.lines] = lines;
  overlays[t.positions] = positions;
  overlays[t.reports] = reports;
  L.control.layers(null, overlays, { collapsed: window.innerWidth < 800, position: cfg.dir === "rtl" ? "topleft" : "topright" }).addTo(map);

  var slider = document.getElementById("at");
  var out = document.getElementById("at-out");
  var status = document.getElementById("status");
  var filters = document.getElementById("filters");
  var from = new Date(cfg.from + "T00:00:00Z");

  function dateAt() {
    var d = new Date(from.getTime() + Number(slider.value) * 86400000);
    return d.toISOString().slice(0, 10);
  }

  function reportQuery() {
    var q = new URLSearchParams();
    q.set("to", dateAt());
    ["consensus", "scope", "governorate", "perpetrator"].forEach(function (name) {
      var el = filters.elements[name];
      if (el && el.value) q.set(name, el.value);
    });
    return q.toString();
  }

  function fail(err) {
    status.textContent = err.message;
    status.classList.add("error");
  }

  function legendControllers(fc) {
    var ul = document.getElementById("legend-controllers");
    var seen = {};
    (fc.features || []).forEach(function (f) {
      var p = f.properties || {};
      if (p.controller) seen[p.controller] = true;
    });
    ul.textContent = "";
    Object.keys(seen).sort().forEach(function (id) {
      var li = document.createElement("li");
      var sw = document.createElement("span");
      sw.className = "swatch";
      sw.setAttribute("aria-hidden", "true");
      sw.style.background = actor(id).colour;
      li.appendChild(sw);
      li.appendChild(document.createTextNode(actor(id).name));
      ul.appendChild(li);
    });
  }

  function loadMap() {
    var at = "at=" + dateAt();
    truce.getJSON("/map/zones?" + at).then(function (fc) {
      zones.clearLayers();
      zones.addData(fc);
      legendControllers(fc);
    }).catch(fail);
    truce.getJSON("/map/lines?" + at).then(function (fc) {
      lines.clearLayers();
      lines.addData(fc);
    }).catch(fail);
    truce.getJSON("/map/positions?" + at).then(function (fc) {
      positions.clearLayers();
      positions.addData(fc);
    }).catch(fail);
  }

  var focused = false;
  function focusHash(markers) {
    var id = location.hash.slice(1);
    var m = markers[id];
    if (!m || focused) return;
    focused = true;
    openID = id; // kept if the reports are fetched again meanwhile
    reports.zoomToShowLayer(m, function () {
      m.openPopup();
    });
  }

  // The report whose popup is open stays open when the reports are
  // fetched again.
  var openID = null;
  var reloading = false;
  map.on("popupopen", function (e) {
    var src = e.popup._source;
    openID = src && src.options.reportID ? src.options.reportID : null;
  });
  map.on("popupclose", function () {
    if (!reloading) openID = null;
  });

  var loading = 0;
  function loadReports() {
    var mine = ++loading;
    truce.getJSON("/map/reports?" + reportQuery()).then(function (body) {
      if (mine !== loading) return; // a later load is on its way
      var markers = {};
      var layers = body.reports.map(function (r) {
        var icon = L.divIcon({
          className: "rep",
          html: '<span class="dot state-' + esc(r.consensus) + '" data-id="' + esc(r.id) + '" data-consensus="' + esc(r.consensus) + '"></span>',
          iconSize: [16, 16],
        });
        var title = (cfg.states[r.consensus] || r.consensus) + " — " + r.sub_event_type + " — " + r.occurred_at.slice(0, 10);
        var m = L.marker([r.lat, r.lon], { icon: icon, title: title, alt: title, keyboard: true, state: r.consensus, reportID: r.id });
        m.bindPopup(
          '<b><a href="/reports/' + esc(r.id) + '">' + esc(r.sub_event_type) + "</a></b><br>" +
          esc(r.occurred_at.slice(0, 16).replace("T", " ")) + " UTC<br>" +
          esc(t.consensus) + ": " + esc(cfg.states[r.consensus] || r.consensus) + "<br>" +
          esc(t.perpetrator) + ": " + esc(r.perpetrator ? actor(r.perpetrator).name : t.unknown) + "<br>" +
          (r.scope ? esc(t.scope) + ": " + esc(cfg.scopes[r.scope] || r.scope) + "<br>" : "") +
          (r.adm1 ? esc(cfg.governorates[r.adm1] || r.adm1) + "<br>" : "") +
          "<small>" + esc(t.coordinates) + ": " + r.lat.toFixed(4) + ", " + r.lon.toFixed(4) + " (" + esc(t[r.coordinates] || r.coordinates) + ")</small>"
        );
        markers[r.id] = m;
        return m;
      });
      var reopen = openID;
      reloading = true;
      reports.clearLayers();
      reloading = false;
      reports.addLayers(layers);
      if (reopen && markers[reopen]) {
        reports.zoomToShowLayer(markers[reopen], function () { markers[reopen].openPopup(); });
      }
      var s = body.reports.length + " " + t["map.shown"];
      if (body.unplaced) s += "; " + body.unplaced + " " + t["map.nocoords"];
      if (body.capped) s += " …";
      status.textContent = s;
      status.classList.remove("error");
      status.setAttribute("data-count", String(body.reports.length));
      document.body.setAttribute("data-reports-loaded", String(mine));
      focusHash(markers);
    }).catch(fail);
  }

  var timer = null;
  function later(fn, ms) {
    clearTimeout(timer);
    timer = setTimeout(fn, ms);
  }

  slider.addEventListener("input", function () {
    out.textContent = dateAt();
    slider.setAttribute("aria-valuetext", dateAt());
  });
  slider.addEventListener("change", function () {
    later(function () { loadMap(); loadReports(); }, 200);
  });
  filters.addEventListener("change", function (e) {
    if (e.target !== slider) later(loadReports, 100);
  });
  filters.addEventListener("submit", function (e) {
    e.preventDefault();
    loadMap();
    loadReports();
  });
  window.addEventListener("hashchange", function () {
    focused = false;
    loadReports();
  });

  // Live: the log grew, so there may be new reports or new answers.
  if (window.EventSource) {
    var es = new EventSource("/map/events");
    var reportTimer = null;
    es.addEventListener("log", function () {
      clearTimeout(reportTimer);
      reportTimer = setTimeout(loadReports, 150);
    });
    es.addEventListener("open", function () {
      document.body.setAttribute("data-live", "open");
    });
  }

  loadMap();
  loadReports();
})();
