/* Comfort on top of pages that work without it: the service worker, "keep on my phone", sending work done
   offline, the offline notices, images on request, and clearing the phone at logout. */
(function () {
  "use strict";
  var SHELL = "soglia-shell";
  var COURSE_PREFIX = "soglia-course-";
  var ui = document.getElementById("offline-ui");
  if (!ui) { return; }
  var root = document.documentElement;
  var offlineCopy = root.hasAttribute("data-offline-copy");
  var user = cookie("soglia_learner");
  var token = meta("csrf-token");
  var pending = 0;  // events of this learner waiting on the phone, as last counted
  var capable = "serviceWorker" in navigator && "caches" in window && "indexedDB" in window && window.SogliaQueue;

  function meta(name) {
    var element = document.querySelector('meta[name="' + name + '"]');
    return element ? element.content : "";
  }

  function cookie(name) {
    var found = document.cookie.split("; ").filter(function (c) { return c.indexOf(name + "=") === 0; })[0];
    return found ? decodeURIComponent(found.slice(name.length + 1)) : "";
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, key) { return values[key]; });
  }

  function humanSize(bytes) {
    var format = new Intl.NumberFormat(root.lang || undefined, { maximumFractionDigits: 1, minimumFractionDigits: 1 });
    if (bytes < 1000000) { return Math.max(1, Math.round(bytes / 1000)) + " KB"; }
    return format.format(bytes / 1000000) + " MB";
  }

  /* Notices: this page is a saved copy; work waiting on the phone; results of work sent. */
  function showNotices() {
    ui.querySelector(".offline-copy").hidden = !offlineCopy;
    var missing = document.querySelector(".offline-missing");
    if (missing) { missing.hidden = !root.hasAttribute("data-offline-missing"); }
    if (!capable) { return Promise.resolve(); }
    return SogliaQueue.events(user || undefined).then(function (events) {
      var notice = ui.querySelector(".offline-pending");
      pending = events.length;
      notice.hidden = !pending;
      notice.textContent = fill(ui.dataset.msgPending, { count: pending });
      if (offlineCopy) { return; }
      return SogliaQueue.takeNotes().then(function (notes) {
        var list = ui.querySelector(".offline-notes");
        notes.forEach(function (note) {
          var item = document.createElement("li");
          item.className = "flash success";
          item.textContent = note.message + " ";
          if (note.url) {
            var link = document.createElement("a");
            link.href = note.url;
            link.textContent = ui.dataset.msgSee;
            item.appendChild(link);
          }
          list.appendChild(item);
        });
        list.hidden = !list.children.length;
      });
    });
  }

  /* Send the work done offline (Background Sync may have done it already; the server takes each event once). */
  function sync() {
    if (!capable || !user || offlineCopy || !navigator.onLine) { return Promise.resolve(0); }
    return SogliaQueue.flush(ui.dataset.syncUrl, user, token).then(function (sent) {
      if (sent) { return SogliaQueue.note({ message: fill(ui.dataset.msgSent, { count: sent }) }); }
    }).catch(function () { /* offline again, or logged out: the events stay queued */ }).then(showNotices);
  }

  function courseOf(manifestUrl) {
    return decodeURIComponent(manifestUrl.split("/").pop().replace(/\.json$/, ""));
  }

  function stored(manifestUrl) {
    return caches.match(manifestUrl).then(function (response) { return response ? response.json() : null; });
  }

  function fetchJson(url) {
    return fetch(url, { credentials: "same-origin", headers: { "Soglia-Download": "1" } }).then(function (response) {
      if (!response.ok || response.redirected) { throw new Error("manifest " + response.status); }
      return response.json();
    });
  }

  /* The entries of a new manifest that the phone does not have yet (new or changed). */
  function missingEntries(manifest, old) {
    var had = {};
    (old ? old.entries : []).forEach(function (e) { had[e.url] = e.hash; });
    return manifest.entries.filter(function (e) { return had[e.url] !== e.hash; });
  }

  function shellUrls(manifest) {
    var urls = manifest.shell.slice();
    document.querySelectorAll('link[rel="stylesheet"], script[src]').forEach(function (element) {
      urls.push(element.href || element.src);
    });
    return urls;
  }

  function saveCourse(manifestUrl, manifest, onBytes) {
    var name = COURSE_PREFIX + manifest.course;
    return Promise.all([caches.open(name), stored(manifestUrl)]).then(function (opened) {
      var cache = opened[0];
      var wanted = missingEntries(manifest, opened[1]);
      var index = 0;
      function worker() {  // three downloads at a time
        var entry = wanted[index++];
        if (!entry) { return Promise.resolve(); }
        return fetch(entry.url, { credentials: "same-origin", headers: { "Soglia-Download": "1" } })
          .then(function (response) {
            if (!response.ok || response.redirected) { throw new Error("download " + response.status); }
            return cache.put(entry.url, response);
          }).then(function () { onBytes(entry.bytes); return worker(); });
      }
      return Promise.all([worker(), worker(), worker()]).then(function () {
        var keep = {};
        manifest.entries.forEach(function (e) { keep[new URL(e.url, location.href).href] = true; });
        return cache.keys().then(function (requests) {
          return Promise.all(requests.filter(function (r) { return !keep[r.url]; })
            .map(function (r) { return cache.delete(r); }));
        });
      }).then(function () {
        return cache.put(manifestUrl, new Response(JSON.stringify(manifest),
                                                   { headers: { "Content-Type": "application/json" } }));
      });
    });
  }

  function setupKeep(section) {
    var urls = section.dataset.manifests.split(" ").filter(Boolean);
    var versions = section.dataset.versions.split(" ");
    var save = section.querySelector("[data-keep-save]");
    var update = section.querySelector("[data-keep-update]");
    var remove = section.querySelector("[data-keep-remove]");
    var bar = document.createElement("progress");  // shown only while downloading
    bar.max = 100;
    var status = section.querySelector("[data-keep-status]");
    section.hidden = !urls.length;

    function refresh() {
      return Promise.all(urls.map(stored)).then(function (olds) {
        var saved = olds.filter(Boolean).length;
        var stale = urls.filter(function (url, i) { return olds[i] && olds[i].version !== versions[i]; });
        save.hidden = saved === urls.length;
        remove.hidden = saved === 0;
        update.hidden = true;
        if (stale.length && navigator.onLine && !offlineCopy) {
          return Promise.all(stale.map(function (url) {
            return Promise.all([fetchJson(url), stored(url)]).then(function (pair) {
              return missingEntries(pair[0], pair[1]).reduce(function (sum, e) { return sum + e.bytes; }, 0);
            });
          })).then(function (sizes) {
            update.hidden = false;
            status.textContent = fill(section.dataset.msgUpdate,
                                      { size: humanSize(sizes.reduce(function (a, b) { return a + b; }, 0)) });
          });
        }
        status.textContent = saved === urls.length ? section.dataset.msgSaved : "";
      });
    }

    function download() {
      save.disabled = update.disabled = true;
      bar.value = 0;
      section.insertBefore(bar, status);
      return Promise.all(urls.map(fetchJson)).then(function (manifests) {
        return Promise.all(urls.map(stored)).then(function (olds) {
          var total = 0;
          var done = 0;
          manifests.forEach(function (m, i) {
            total += missingEntries(m, olds[i]).reduce(function (sum, e) { return sum + e.bytes; }, 0);
          });
          function onBytes(bytes) {
            done += bytes;
            var percent = total ? Math.min(100, Math.round(100 * done / total)) : 100;
            bar.value = percent;
            status.textContent = fill(section.dataset.msgProgress, { percent: percent });
          }
          return caches.open(SHELL).then(function (shell) { return shell.addAll(shellUrls(manifests[0])); })
            .then(function () { return SogliaQueue.set("owner", manifests[0].user); })
            .then(function () {
              return manifests.reduce(function (chain, m, i) {
                return chain.then(function () { return saveCourse(urls[i], m, onBytes); });
              }, Promise.resolve());
            });
        });
      }).then(function () {
        bar.value = 100;
        return refresh();
      }).catch(function () {
        status.textContent = section.dataset.msgFailed;
      }).then(function () {
        save.disabled = update.disabled = false;
        bar.remove();
      });
    }

    save.addEventListener("click", download);
    update.addEventListener("click", download);
    remove.addEventListener("click", function () {
      Promise.all(urls.map(function (url) { return caches.delete(COURSE_PREFIX + courseOf(url)); })).then(function () {
        return refresh();
      }).then(function () { status.textContent = section.dataset.msgRemoved; });
    });
    return refresh();
  }

  /* The offline page: the courses on this phone. */
  function listSaved(list) {
    return caches.keys().then(function (names) {
      return Promise.all(names.filter(function (n) { return n.indexOf(COURSE_PREFIX) === 0; }).map(function (name) {
        return stored("/offline/courses/" + name.slice(COURSE_PREFIX.length) + ".json");
      }));
    }).then(function (manifests) {
      manifests.filter(Boolean).forEach(function (m) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = m.url;
        link.textContent = m.title;
        item.appendChild(link);
        item.appendChild(document.createTextNode(" · " + fill(list.dataset.msgSize, { size: m.size })));
        list.appendChild(item);
      });
      document.querySelector("[data-offline-none]").hidden = list.children.length > 0;
    });
  }

  /* Logging out: send what is waiting first, then the worker drops every saved page (so does the server's
     Clear-Site-Data header). */
  function guardLogout(form) {
    form.addEventListener("submit", function (event) {
      var worker = navigator.serviceWorker && navigator.serviceWorker.controller;
      if (!pending) {  // the usual case: nothing waits, log out at once
        if (worker) { worker.postMessage({ type: "logout" }); }
        return;
      }
      event.preventDefault();
      sync().then(function () { return SogliaQueue.events(user); }).then(function (left) {
        if (left.length && !window.confirm(ui.dataset.msgLogout)) { return false; }
        if (worker) { worker.postMessage({ type: "logout" }); }
        return true;
      }).catch(function () { return true; }).then(function (go) { if (go) { form.submit(); } });
    });
  }

  document.addEventListener("click", function (event) {  // data saver: show one image where its link was
    var link = event.target.closest ? event.target.closest("a.image-on-request") : null;
    if (!link) { return; }
    event.preventDefault();
    var image = document.createElement("img");
    image.src = link.dataset.src;
    image.alt = link.dataset.alt || "";
    link.replaceWith(image);
  });

  var back = document.querySelector("[data-back-to-course]");
  var course = new URLSearchParams(location.search).get("course");
  if (back && course && /^[a-z0-9-]+$/.test(course)) { back.href = "/courses/" + course; }

  showNotices();
  if (!capable) { return; }
  document.querySelectorAll('form[action$="/account/logout"]').forEach(guardLogout);
  navigator.serviceWorker.register(ui.dataset.swUrl, { scope: "/" }).then(function () {
    return navigator.serviceWorker.ready;
  }).then(function (registration) {
    if (!offlineCopy && registration.active) {
      registration.active.postMessage({ type: "user", user: user });
    }
  }).catch(function () { /* no worker: the site works as before */ });
  document.querySelectorAll("[data-keep]").forEach(setupKeep);
  var list = document.querySelector("[data-offline-list]");
  if (list) { listSaved(list); }
  window.addEventListener("online", sync);
  sync();
}());
