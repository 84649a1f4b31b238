/* "Get notifications in this browser" on the volunteer page (crowds/_push_button.html).
 *
 * Progressive enhancement: the button is rendered hidden and shown only where the browser
 * can do Web Push (service workers, PushManager, Notification, a secure context). All words
 * come from the page's data attributes, already translated; the status goes to a live region.
 */
(function () {
  "use strict";

  var SUBSCRIBE_TIMEOUT = 20000;

  function keyBytes(base64url) {
    var padded = base64url + "===".slice((base64url.length + 3) % 4);
    var raw = atob(padded.replace(/-/g, "+").replace(/_/g, "/"));
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i += 1) {
      bytes[i] = raw.charCodeAt(i);
    }
    return bytes;
  }

  function sameKey(subscription, key) {
    var current = subscription.options && subscription.options.applicationServerKey;
    if (!current) {
      return true; // the browser does not say: assume it is ours
    }
    var bytes = new Uint8Array(current);
    if (bytes.length !== key.length) {
      return false;
    }
    for (var i = 0; i < key.length; i += 1) {
      if (bytes[i] !== key[i]) {
        return false;
      }
    }
    return true;
  }

  function activated(registration) {
    // PushManager.subscribe needs an active worker; a first registration is still installing
    if (registration.active) {
      return Promise.resolve(registration);
    }
    var worker = registration.installing || registration.waiting;
    return new Promise(function (resolve, reject) {
      worker.addEventListener("statechange", function () {
        if (worker.state === "activated") {
          resolve(registration);
        } else if (worker.state === "redundant") {
          reject(new Error(""));
        }
      });
    });
  }

  function withinTime(promise, milliseconds) {
    // a browser that cannot reach its push service may never settle: give up and say so
    return new Promise(function (resolve, reject) {
      var timer = setTimeout(function () {
        reject(new Error(""));
      }, milliseconds);
      promise.then(
        function (value) {
          clearTimeout(timer);
          resolve(value);
        },
        function (error) {
          clearTimeout(timer);
          reject(error);
        }
      );
    });
  }

  function supported() {
    return (
      "serviceWorker" in navigator &&
      "PushManager" in window &&
      "Notification" in window &&
      window.isSecureContext !== false
    );
  }

  function setUp(root) {
    var ui = root.querySelector("[data-push-ui]");
    var button = root.querySelector("[data-push-toggle]");
    var status = root.querySelector("[data-push-status]");
    var data = root.dataset;
    if (!ui || !button || !status || !supported() || !data.vapidKey) {
      return;
    }
    var key = keyBytes(data.vapidKey);
    var subscribed = false;

    function say(text) {
      status.textContent = text || "";
    }

    function show(on) {
      subscribed = on;
      button.textContent = on ? data.labelOff : data.labelOn;
    }

    function post(url, body) {
      return fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": data.csrfToken },
        body: JSON.stringify(body),
      }).then(function (response) {
        if (response.ok) {
          return response;
        }
        return response
          .json()
          .catch(function () {
            return {};
          })
          .then(function (answer) {
            // only our server's words are shown: they are translated, the browser's are not
            var failure = new Error("");
            failure.serverMessage = answer && answer.error ? String(answer.error) : "";
            throw failure;
          });
      });
    }

    function registration() {
      return navigator.serviceWorker
        .register(data.swUrl, { scope: data.swScope })
        .then(activated);
    }

    function turnOn() {
      return Notification.requestPermission().then(function (permission) {
        if (permission !== "granted") {
          say(data.textDenied);
          return null;
        }
        return registration()
          .then(function (reg) {
            return reg.pushManager.getSubscription().then(function (existing) {
              if (existing && !sameKey(existing, key)) {
                // made with an earlier server key: it cannot receive our messages any more
                return existing.unsubscribe().then(function () {
                  return null;
                });
              }
              return existing;
            }).then(function (existing) {
              return (
                existing ||
                withinTime(
                  reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key }),
                  SUBSCRIBE_TIMEOUT
                )
              );
            });
          })
          .then(function (subscription) {
            return post(data.subscribeUrl, subscription.toJSON());
          })
          .then(function () {
            show(true);
            say(data.textOn);
          });
      });
    }

    function turnOff() {
      return navigator.serviceWorker.getRegistration(data.swScope).then(function (reg) {
        if (!reg) {
          return null;
        }
        return reg.pushManager.getSubscription().then(function (subscription) {
          if (!subscription) {
            return null;
          }
          // the server first: once it has forgotten the browser, nothing more is sent to it
          return post(data.unsubscribeUrl, { endpoint: subscription.endpoint }).then(function () {
            return subscription.unsubscribe();
          });
        });
      }).then(function () {
        show(false);
        say(data.textOff);
      });
    }

    button.addEventListener("click", function () {
      button.disabled = true;
      say(data.textWorking);
      var work = subscribed ? turnOff() : turnOn();
      work
        .catch(function (error) {
          say((error && error.serverMessage) || data.textFailed);
        })
        .then(function () {
          button.disabled = false;
        });
    });

    // A browser that already has a subscription offers to stop it. No status text here:
    // a live region filled at load would be read out for nothing.
    navigator.serviceWorker
      .getRegistration(data.swScope)
      .then(function (reg) {
        return reg ? reg.pushManager.getSubscription() : null;
      })
      .then(function (subscription) {
        show(Boolean(subscription) && sameKey(subscription, key));
      })
      .catch(function () {
        show(false);
      })
      .then(function () {
        ui.hidden = false;
      });
  }

  function start() {
    var roots = document.querySelectorAll("[data-crowds-push]");
    for (var i = 0; i < roots.length; i += 1) {
      setUp(roots[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
