/* Portaat area maps (templates/includes/area_map.html): circle markers sized by count.
 *
 * Progressive enhancement: the include always renders a table of the same points, and the map
 * element stays hidden until this script has drawn it. Tiles are used only when the page says
 * which server to use (data-tiles, from the PORTAAT_MAP_TILES setting); otherwise the points are
 * drawn on a plain background with a scale, so nothing is fetched from a third party.
 */
(function () {
  "use strict";
  if (window.PortaatAreaMap) {
    return; // the include was used twice on one page
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // Only same-site paths and http(s) addresses become links.
  function safeUrl(url) {
    if (typeof url !== "string") {
      return "";
    }
    if (url.charAt(0) === "/" && url.charAt(1) !== "/" && url.charAt(1) !== "\\") {
      return url;
    }
    return /^https?:\/\//i.test(url) ? url : "";
  }

  function popupContent(point, countLabel) {
    var box = document.createElement("div");
    var url = safeUrl(point.url);
    var title = document.createElement(url ? "a" : "strong");
    if (url) {
      title.href = url;
    }
    title.textContent = point.label;
    box.appendChild(title);
    var count = document.createElement("div");
    count.textContent = (countLabel ? countLabel + ": " : "") + point.count;
    box.appendChild(count);
    return box;
  }

  function cssColour(el, name, fallback) {
    var value = window.getComputedStyle(el).getPropertyValue(name).trim();
    return value || fallback;
  }

  function draw(el) {
    if (el.getAttribute("data-ready") || typeof window.L === "undefined") {
      return;
    }
    var source = document.getElementById(el.getAttribute("data-points"));
    if (!source) {
      return;
    }
    var points;
    try {
      points = JSON.parse(source.textContent);
    } catch (e) {
      return;
    }
    points = (points || []).filter(function (p) {
      return isFinite(p.lat) && isFinite(p.lon) && p.lat !== null && p.lon !== null;
    });
    if (!points.length) {
      return;
    }
    el.hidden = false;
    el.setAttribute("data-ready", "1");

    var L = window.L;
    var tiles = el.getAttribute("data-tiles") || "";
    var map = L.map(el, {
      scrollWheelZoom: false,
      zoomControl: false,
      attributionControl: Boolean(tiles),
    });
    // the zoom buttons' titles in the page's language
    L.control
      .zoom({
        zoomInTitle: el.getAttribute("data-zoom-in") || "+",
        zoomOutTitle: el.getAttribute("data-zoom-out") || "-",
      })
      .addTo(map);
    if (tiles) {
      L.tileLayer(tiles, {
        maxZoom: 19,
        attribution: escapeHtml(el.getAttribute("data-attribution") || ""),
      }).addTo(map);
    } else {
      el.classList.add("area-map__canvas--plain");
    }
    L.control.scale({ imperial: false }).addTo(map);

    var countLabel = el.getAttribute("data-count-label") || "";
    var stroke = cssColour(el, "--portaat-brand-dark", "#00005e");
    var fill = cssColour(el, "--portaat-brand", "#0000bf");
    var max = 1;
    points.forEach(function (p) {
      max = Math.max(max, Number(p.count) || 1);
    });
    var bounds = [];
    points.forEach(function (p) {
      var count = Math.max(Number(p.count) || 1, 1);
      // area, not radius, grows with the count
      var radius = 6 + 16 * Math.sqrt(count / max);
      L.circleMarker([p.lat, p.lon], {
        radius: radius,
        weight: 2,
        color: stroke,
        fillColor: fill,
        fillOpacity: 0.45,
      })
        .bindPopup(popupContent(p, countLabel))
        // a string would be read as HTML: the name is escaped
        .bindTooltip(escapeHtml(p.label))
        .addTo(map);
      bounds.push([p.lat, p.lon]);
    });
    if (bounds.length === 1) {
      map.setView(bounds[0], 13);
    } else {
      map.fitBounds(bounds, { padding: [28, 28], maxZoom: 14 });
    }
  }

  function drawAll(root) {
    var maps = (root || document).querySelectorAll("[data-area-map]");
    Array.prototype.forEach.call(maps, draw);
  }

  window.PortaatAreaMap = { draw: draw, drawAll: drawAll };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      drawAll(document);
    });
  } else {
    drawAll(document);
  }
  // Maps inside content swapped in by htmx
  document.addEventListener("htmx:load", function (event) {
    drawAll(event.target);
  });
})();
