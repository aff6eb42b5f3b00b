// The course editor's comforts: line numbers beside the Markdown, the checker's marks on them, and a live preview.
// The page works without this script: the form saves, the checker's messages are listed above the box.
(function () {
  "use strict";
  const form = document.querySelector("form.editor");
  const box = form && form.querySelector("textarea");
  if (!box) return;

  const gutter = document.createElement("div");
  gutter.className = "gutter";
  gutter.setAttribute("aria-hidden", "true");
  const frame = document.createElement("div");
  frame.className = "numbered";
  box.parentNode.insertBefore(frame, box);
  frame.append(gutter, box);

  // {line: ["error: message", ...]} from the checker's list on the page, replaced by each live preview
  let marks = readMarks(document.querySelectorAll("ol.source-lines li"), (li) => li.value,
                        (li) => [...li.querySelectorAll("p")].map((p) => p.textContent));

  function readMarks(items, lineOf, messagesOf) {
    const found = {};
    for (const item of items) {
      const line = Number(lineOf(item));
      found[line] = (found[line] || []).concat(messagesOf(item));
    }
    return found;
  }

  function drawGutter() {
    const count = box.value.split("\n").length;
    const rows = [];
    for (let line = 1; line <= count; line++) {
      const row = document.createElement("div");
      row.textContent = String(line);
      if (marks[line]) {
        row.className = marks[line].some((m) => m.indexOf("error") === 0) ? "error" : "warning";
        row.title = marks[line].join("\n");
      }
      rows.push(row);
    }
    gutter.replaceChildren(...rows);
    gutter.scrollTop = box.scrollTop;
  }

  box.addEventListener("scroll", () => { gutter.scrollTop = box.scrollTop; });
  drawGutter();

  const section = document.querySelector("section.live-preview");
  const output = section && section.querySelector("[aria-live]");
  let timer = null;
  let running = null;
  let again = false;

  async function refresh() {
    if (running) { again = true; return; }
    running = fetch(form.dataset.previewUrl, {method: "POST", body: new FormData(form), credentials: "same-origin"});
    try {
      const response = await running;
      if (response.ok) {
        output.innerHTML = await response.text();  // rendered and sanitised by the server, as for learners
        section.hidden = false;
        marks = readMarks(output.querySelectorAll("[data-problems] li"), (li) => li.dataset.line,
                          (li) => [li.textContent.replace(/^[^:]*:\s*/, "")]);
        drawGutter();
      }
    } catch (error) {
      // offline or the server is restarting: the preview waits for the next change
    } finally {
      running = null;
      if (again) { again = false; refresh(); }
    }
  }

  box.addEventListener("input", () => {
    drawGutter();
    clearTimeout(timer);
    timer = setTimeout(refresh, 600);
  });
  if (output) refresh();
})();
