/* Soglia's service worker. It only adds to the site, which works without it:
   - pages: network first; a page of a course kept on the phone is refreshed in its cache, and served from it offline;
   - content-hashed static files and course files: cache first;
   - "Mark as done" and quiz answers sent offline: queued in IndexedDB, sent back by Background Sync or the next page;
   - it keeps only what a "keep on my phone" download listed, and drops it all at logout or for another user. */
"use strict";
importScripts("/offline/static/queue.js");

var SHELL = "soglia-shell";
var COURSE_PREFIX = "soglia-course-";
var QUEUED_POST = /^\/courses\/([^/]+)\/([^/]+)\/([^/]+)\/(done|next|submit)$/;
var KEEPABLE = /^\/(courses\/|offline($|\/)|static\/)/;

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

function sogliaCaches() {
  return caches.keys().then(function (names) {
    return names.filter(function (n) { return n === SHELL || n.indexOf(COURSE_PREFIX) === 0; });
  });
}

function dropEverything() {
  return sogliaCaches().then(function (names) {
    return Promise.all(names.map(function (n) { return caches.delete(n); }));
  }).then(function () { return SogliaQueue.set("owner", null); });
}

self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type === "logout") {
    event.waitUntil(dropEverything());
  } else if (data.type === "user") {
    // the pages belong to one learner: another account (or none) on this phone must not see them
    event.waitUntil(SogliaQueue.get("owner").then(function (owner) {
      if (owner && String(owner) !== String(data.user || "")) { return dropEverything(); }
    }));
  }
});

/* The saved copy of a page of a kept course (or of the shell), also without its ?lang=... query. */
function savedCopy(url) {
  return caches.match(url).then(function (found) {
    return found || caches.match(url, { ignoreSearch: true });
  });
}

function refreshSaved(request, response) {
  var url = request.url;
  return sogliaCaches().then(function (names) {
    return Promise.all(names.map(function (name) {
        return caches.open(name).then(function (cache) {
          return cache.match(url).then(function (old) { if (old) { return cache.put(url, response.clone()); } });
        });
      }));
  });
}

/* The saved page, marked so that the layout shows "you are offline" (and "not saved" on the fallback page). */
function markedOffline(response, missing) {
  return response.text().then(function (html) {
    var mark = missing ? "<html data-offline-copy data-offline-missing " : "<html data-offline-copy ";
    return new Response(html.replace("<html ", mark), {
      status: 200, headers: { "Content-Type": "text/html; charset=utf-8" }
    });
  });
}

function page(event) {
  var request = event.request;
  return fetch(request).then(function (response) {
    var path = new URL(response.url || request.url).pathname;
    if (response.ok && !response.redirected && response.type === "basic" && KEEPABLE.test(path)) {
      event.waitUntil(refreshSaved(request, response.clone()));
    }
    return response;
  }).catch(function () {
    return savedCopy(request.url).then(function (saved) {
      if (saved) { return markedOffline(saved, false); }
      return caches.match("/offline", { ignoreSearch: true }).then(function (fallback) {
        return fallback ? markedOffline(fallback, true) : Response.error();
      });
    });
  });
}

function cacheFirst(request) {
  return caches.match(request).then(function (found) {
    return found || fetch(request);
  });
}

function nextPage(course, itemKey) {
  return caches.match("/offline/courses/" + course + ".json").then(function (response) {
    if (!response) { return "/courses/" + course; }
    return response.json().then(function (manifest) {
      var pages = manifest.pages;
      for (var i = 0; i < pages.length - 1; i++) {
        if (pages[i].key === itemKey) { return pages[i + 1].url; }
      }
      return manifest.url;
    });
  });
}

/* A POST that could not reach the server: keep it as an event with its own UUID, then move on. */
function queuePost(request, match) {
  return request.formData().then(function (form) {
    var fields = {};
    form.forEach(function (value, name) { (fields[name] = fields[name] || []).push(String(value)); });
    var csrf = (fields.csrf_token || [""])[0];
    delete fields.csrf_token;
    var course = match[1];
    var item = match[2] + "/" + match[3];
    var quiz = match[4] === "submit";
    return SogliaQueue.get("owner").then(function (owner) {
      if (!owner) { throw new Error("no course kept on this phone: nobody to queue it for"); }
      return SogliaQueue.add({
        id: crypto.randomUUID(), type: quiz ? "quiz-answers" : "lesson-done", course: course, item: item,
        at: new Date().toISOString(), user: owner, csrf: csrf, form: quiz ? fields : undefined
      });
    }).then(function () {
      if (self.registration.sync) { return self.registration.sync.register("soglia-sync").catch(function () {}); }
    }).then(function () {
      if (quiz) { return "/offline/queued?course=" + encodeURIComponent(course); }
      if (fields.stay) { return "/courses/" + course + "/" + item; }  // "Mark as done" without moving on
      return nextPage(course, item);
    }).then(function (location) {
      return Response.redirect(new URL(location, self.location.origin).href, 303);
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname === "/sw.js") { return; }
  if (request.method === "POST") {
    var match = url.pathname.match(QUEUED_POST);
    if (!match) { return; }
    var copy = request.clone();
    event.respondWith(fetch(request).catch(function () {
      return queuePost(copy, match).catch(function () { return Response.error(); });
    }));
    return;
  }
  if (request.method !== "GET") { return; }
  if (request.mode === "navigate") {
    event.respondWith(page(event));
  } else if (/^\/(offline\/)?static\//.test(url.pathname) && url.searchParams.has("v")) {
    event.respondWith(cacheFirst(request));
  } else if (/^\/courses\/[^/]+\/assets\//.test(url.pathname)) {
    event.respondWith(cacheFirst(request));
  }
});

self.addEventListener("sync", function (event) {
  if (event.tag !== "soglia-sync") { return; }
  event.waitUntil(SogliaQueue.get("owner").then(function (owner) {
    if (!owner) { return; }
    return SogliaQueue.flush("/offline/sync", owner, null);
  }));
});
