/* Soglia's offline queue, shared by the pages and the service worker: IndexedDB stores
   "events" (work done offline, each with its own UUID), "notes" (results to show) and "meta". */
(function (scope) {
  "use strict";
  var DB_NAME = "soglia-offline";
  var BATCH = 25;

  function open() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        var db = request.result;
        db.createObjectStore("events", { keyPath: "id" });
        db.createObjectStore("notes", { autoIncrement: true });
        db.createObjectStore("meta");
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function run(store, mode, action) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(store, mode);
        var result = action(tx.objectStore(store));
        tx.oncomplete = function () { db.close(); resolve(result && "result" in result ? result.result : result); };
        tx.onerror = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function all(store) {
    return run(store, "readonly", function (s) { return s.getAll(); });
  }

  var queue = {
    add: function (event) { return run("events", "readwrite", function (s) { s.put(event); }); },
    events: function (user) {
      return all("events").then(function (events) {
        return events.filter(function (e) { return user === undefined || String(e.user) === String(user); })
          .sort(function (a, b) { return a.at < b.at ? -1 : 1; });
      });
    },
    remove: function (ids) {
      return run("events", "readwrite", function (s) { ids.forEach(function (id) { s.delete(id); }); });
    },
    note: function (note) { return run("notes", "readwrite", function (s) { s.add(note); }); },
    takeNotes: function () {
      return all("notes").then(function (notes) {
        return run("notes", "readwrite", function (s) { s.clear(); }).then(function () { return notes; });
      });
    },
    get: function (key) { return run("meta", "readonly", function (s) { return s.get(key); }); },
    set: function (key, value) { return run("meta", "readwrite", function (s) { s.put(value, key); }); },

    /* Send the user's queued events with this CSRF token; events the server answered leave the queue.
       Resolves to the number of events sent, rejects when offline or refused (they stay queued). */
    flush: function (syncUrl, user, token) {
      var locks = scope.navigator && scope.navigator.locks;
      if (locks) {  // the page and Background Sync take turns: the second finds nothing left to send
        return locks.request("soglia-sync", function () { return queue.send(syncUrl, user, token); });
      }
      return queue.send(syncUrl, user, token);
    },

    send: function (syncUrl, user, token) {
      return queue.events(user).then(function (events) {
        var sent = 0;
        function next() {
          var batch = events.slice(sent, sent + BATCH);
          if (!batch.length) { return sent; }
          var body = JSON.stringify({ events: batch.map(function (e) {
            return { id: e.id, type: e.type, course: e.course, item: e.item, at: e.at, form: e.form };
          }) });
          return fetch(syncUrl, {
            method: "POST", credentials: "same-origin", body: body,
            headers: { "Content-Type": "application/json", "X-CSRFToken": token || batch[0].csrf || "" }
          }).then(function (response) {
            if (!response.ok) { throw new Error("sync refused: " + response.status); }
            return response.json();
          }).then(function (data) {
            var notes = data.results.filter(function (r) { return r.message && !r.duplicate; });
            return Promise.all(notes.map(function (r) { return queue.note({ message: r.message, url: r.url }); }))
              .then(function () { return queue.remove(batch.map(function (e) { return e.id; })); })
              .then(function () { sent += batch.length; return next(); });
          });
        }
        return next();
      });
    }
  };
  scope.SogliaQueue = queue;
}(self));
