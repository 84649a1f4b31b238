/* Portaat service worker: shows rapid-response calls sent by Web Push.
 *
 * Served from /crowds/push/sw.js with "Service-Worker-Allowed: /crowds/", registered with
 * the scope /crowds/. It has no fetch handler on purpose: the pages work exactly as without
 * it, and nothing is cached. The message arrives decrypted by the browser as JSON:
 * {title, body, url, links: {answer: url}, tag, lang, actions: [{action, title}]}.
 */
"use strict";

self.addEventListener("install", function () {
  // a new version takes over at once: there is no cache whose versions could clash
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(self.clients.claim());
});

function readPayload(event) {
  if (!event.data) {
    return {};
  }
  try {
    var data = event.data.json();
    return data && typeof data === "object" ? data : {};
  } catch (error) {
    return { body: event.data.text() };
  }
}

function webAddress(value) {
  // only http(s) addresses are opened; anything else falls back to the crowd pages
  try {
    var url = new URL(String(value || ""), self.registration.scope);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : "";
  } catch (error) {
    return "";
  }
}

self.addEventListener("push", function (event) {
  var data = readPayload(event);
  var links = data.links && typeof data.links === "object" ? data.links : {};
  var options = {
    body: String(data.body || ""),
    data: { url: webAddress(data.url), links: links },
    // the same message sent twice replaces its first notification instead of adding one
    tag: data.tag ? String(data.tag) : undefined,
    lang: data.lang ? String(data.lang) : undefined,
    // a call for help should stay until the volunteer has seen it
    requireInteraction: Object.keys(links).length > 0,
  };
  if (Array.isArray(data.actions)) {
    var most = self.Notification && Notification.maxActions ? Notification.maxActions : 2;
    options.actions = data.actions.slice(0, most).map(function (action) {
      return { action: String(action.action), title: String(action.title) };
    });
  }
  event.waitUntil(self.registration.showNotification(String(data.title || "Portaat"), options));
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var data = event.notification.data || {};
  var links = data.links || {};
  var target =
    (event.action && webAddress(links[event.action])) || data.url || self.registration.scope;
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (list) {
      for (var i = 0; i < list.length; i += 1) {
        if (list[i].url === target && "focus" in list[i]) {
          return list[i].focus();
        }
      }
      return self.clients.openWindow ? self.clients.openWindow(target) : undefined;
    })
  );
});
