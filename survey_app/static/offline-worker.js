// The service worker of links that work without a signal (taking/offline.py). The server writes
// KEEP and STATIC above this text: the addresses to keep (the link's one-page survey and the help
// page in every offered language, and the site's files) and the path of the site's files. Kept
// pages are shown at once and refreshed behind; a survey page that cannot be reached is answered
// with that survey's kept page. Every other request (staff pages, exports, anything sent) is left
// to the browser. Nothing anyone answers passes through here: completed surveys are sent by the
// page itself.
"use strict";
var CACHE = "insight-offline";
var KEPT = new Set(KEEP.map(function (address) { return new URL(address, self.location.href).href; }));

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE)
    .then(function (cache) { return cache.addAll(KEEP); })
    .then(function () { return self.skipWaiting(); }));
});

// The site's files of earlier versions are dropped; other links' kept pages stay.
self.addEventListener("activate", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return cache.keys().then(function (requests) {
      return Promise.all(requests.filter(function (request) {
        return new URL(request.url).pathname.indexOf(STATIC) === 0 && !KEPT.has(request.url);
      }).map(function (request) { return cache.delete(request); }));
    });
  }).then(function () { return self.clients.claim(); }));
});

// The kept page of the survey at this address: in the same language for the same link if there
// is one, else for the same link, else any kept page of that survey.
function surveyPage(cache, url) {
  var survey = url.pathname.match(/^(.*\/s\/[^/]+\/)/);
  if (!survey) return Promise.resolve(undefined);
  var via = url.searchParams.get("via"), lang = url.searchParams.get("lang");
  return cache.keys().then(function (requests) {
    var pages = requests.map(function (request) { return new URL(request.url); })
      .filter(function (kept) { return kept.pathname === survey[1] + "offline"; });
    var fits = function (kept, name, value) { return !value || kept.searchParams.get(name) === value; };
    var best = pages.find(function (kept) { return fits(kept, "via", via) && fits(kept, "lang", lang); })
      || pages.find(function (kept) { return fits(kept, "via", via); }) || pages[0];
    return best && cache.match(best.href, {ignoreVary: true});
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  var survey = request.mode === "navigate" && /\/s\/[^/]+\//.test(url.pathname);
  if (!KEPT.has(url.href) && !survey) return;
  event.respondWith(caches.open(CACHE).then(function (cache) {
    return cache.match(request, {ignoreVary: true}).then(function (kept) {
      var fresh = fetch(request).then(function (response) {
        if (kept && response.ok) return cache.put(request, response.clone()).then(function () { return response; });
        // A link closed or no longer offline: its page is not kept any more.
        if (kept && (response.status === 404 || response.status === 410)) cache.delete(request);
        return response;
      });
      if (kept) {
        event.waitUntil(fresh.catch(function () {}));
        return kept;
      }
      if (request.mode !== "navigate") return fresh;
      return fresh.catch(function () {
        return surveyPage(cache, url).then(function (page) { return page || Response.error(); });
      });
    });
  }));
});
