"""Page checks for the end-to-end suite: axe-core, the Nu HTML checker and the width on a phone.

Both tools are test-only npm packages that `make test` installs into tests/e2e/tools (never served by the app).
"""
import json
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

TOOLS = Path(__file__).parent / "tools" / "node_modules"
AXE_SCRIPT = TOOLS / "axe-core" / "axe.min.js"
VNU_JAR = TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"
BLOCKING_IMPACTS = {"serious", "critical"}

RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                      targets: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
}"""


#: elements that stick out of the screen, and text blocks that scroll sideways inside themselves
FIND_OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const name = e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.className ? "." + e.className : "");
  const sticksOut = e => {
    const box = e.getBoundingClientRect();  // partly on screen: off-screen on purpose (skip link) does not count
    return box.width > 0 && box.right > 0 && box.left < width && (box.right > width + 1 || box.left < -1);
  };
  // tables may scroll inside their own .table-wrap; the innermost element that sticks out names the cause
  const outside = [...document.body.querySelectorAll("*")]
    .filter(e => !e.closest(".table-wrap") && sticksOut(e) && ![...e.children].some(sticksOut)).map(name);
  const scrolling = [...document.querySelectorAll(".prose, main, article")]
    .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => name(e) + " scrolls sideways");
  return outside.concat(scrolling).slice(0, 5);
}"""


@dataclass
class PageReport:
    label: str
    width: int
    violations: list
    html: str = field(repr=False)
    overflowing: list = field(default_factory=list)

    @property
    def blocking(self):
        return [v for v in self.violations if v["impact"] in BLOCKING_IMPACTS]


def check_page(page, label, response):
    """Measure the page now shown in `page`: document width, axe violations, and keep its HTML for Nu."""
    width = page.evaluate("document.documentElement.scrollWidth")
    overflowing = page.evaluate(FIND_OVERFLOW)
    page.add_script_tag(path=str(AXE_SCRIPT))
    violations = page.evaluate(RUN_AXE)
    return PageReport(label, width, violations, response.text(), overflowing)


def nu_errors(reports, folder):
    """Validate the HTML of every report with one run of the Nu checker: {label: [error messages]}."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {}
    for number, report in enumerate(reports):
        path = folder / f"page-{number:03d}.html"
        path.write_text(report.html, encoding="utf-8")
        files[path.name] = report.label
    run = subprocess.run(["java", "-jar", str(VNU_JAR), "--format", "json", "--exit-zero-always",
                          *[str(folder / f"page-{n:03d}.html") for n in range(len(reports))]],
                         capture_output=True, text=True, timeout=300, check=True)
    found = {}
    for message in json.loads(run.stderr)["messages"]:
        if message["type"] == "error" or message.get("subType") == "fatal":
            label = files.get(message["url"].rsplit("/", 1)[-1], message["url"])
            found.setdefault(label, []).append(f"line {message.get('lastLine')}: {message['message']}")
    return found
