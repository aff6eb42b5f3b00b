"""Instructions per request, counted by valgrind's callgrind on a fixed number of in-process WSGI calls.

Counts do not depend on the machine's load, so they are the stable figure for decisions. One valgrind run per
app: it warms every route up, then measures each route's requests inside a call of glibc's twalk() (through
ctypes), which callgrind is told to count alone (--toggle-collect) and to write out after each call
(--dump-after): one profile per route, nothing of the start-up or the warm-up in it. A first empty call
measures the constant cost of the wrapper, which is subtracted.
"""
import ctypes
import importlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WARMUP = int(os.environ.get("BENCH_CALLGRIND_WARMUP", "20"))  # past template compiling and 3.11's specialising
REQUESTS = int(os.environ.get("BENCH_CALLGRIND_REQUESTS", "30"))
#: the marker: a single-node tree makes twalk() call back once, through glibc's internal trecurse()
MARKER = "trecurse"


def count(application, routes, env):
    """{route name: instructions per request} for `routes` [(name, path, cookie)] of `application` ("module:app")."""
    if not shutil.which("valgrind"):
        sys.exit("valgrind is missing: apt-get install valgrind")
    with tempfile.TemporaryDirectory(prefix="soglia-callgrind-") as tmp:
        spec = Path(tmp) / "spec.json"
        spec.write_text(json.dumps({"app": application, "routes": routes, "warmup": WARMUP, "requests": REQUESTS}))
        completed = subprocess.run(
            ["valgrind", "--tool=callgrind", "--collect-atstart=no", f"--toggle-collect={MARKER}",
             f"--dump-after={MARKER}", f"--callgrind-out-file={tmp}/out", sys.executable, "-m", "bench.instructions",
             str(spec)], cwd=ROOT, env={**env, "PYTHONHASHSEED": "0"}, capture_output=True, text=True)
        if completed.returncode:
            sys.exit(f"the callgrind run of {application} failed:\n{completed.stdout}{completed.stderr[-3000:]}")
        dumps = sorted(Path(tmp).glob("out.*"), key=lambda p: int(p.name.rsplit(".", 1)[1]))
        totals = [int(re.search(r"^totals: (\d+)", p.read_text(), re.M).group(1)) for p in dumps]
    if len(totals) != len(routes) + 1:
        sys.exit(f"callgrind wrote {len(totals)} profiles for {len(routes)} routes and the empty call: "
                 f"something else called {MARKER}()")
    empty = totals[0]
    return {name: (total - empty) / REQUESTS for (name, _, _), total in zip(routes, totals[1:])}


def report(hello, counts, routes):
    print(f"\ninstructions per request (callgrind, {REQUESTS} in-process WSGI requests after {WARMUP} warm-up "
          f"requests per route; independent of the machine's load)")
    print(f"{'route':26} {'instructions':>13} {'÷hello':>7}")
    print(f"{'hello-world (Flask)':26} {hello:13,.0f} {1:7.2f}")
    for route in routes:
        print(f"{route.name:26} {counts[route.name]:13,.0f} {counts[route.name] / hello:7.2f}")


def _call(application, environ):
    """One request through the WSGI interface, as a server makes it; returns the status line."""
    environ = dict(environ, **{"wsgi.input": io.BytesIO(b""), "wsgi.errors": sys.stderr})
    status = []
    body = application(environ, lambda line, headers, exc_info=None: status.append(line))
    try:
        for _ in body:
            pass
    finally:
        if hasattr(body, "close"):
            body.close()
    return status[0]


def _measured(action):
    """Run `action` inside twalk(): the only code callgrind counts."""
    libc = ctypes.CDLL(None)
    comparator = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p)(lambda a, b: 0)
    visit = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_int, ctypes.c_int)(lambda node, order, depth: action())
    root = ctypes.c_void_p()
    libc.tsearch.restype = ctypes.c_void_p
    libc.tsearch(ctypes.c_void_p(1), ctypes.byref(root), comparator)
    libc.twalk(root, visit)
    libc.tdelete(ctypes.c_void_p(1), ctypes.byref(root), comparator)


def _child(spec_path):
    from werkzeug.test import EnvironBuilder

    from bench.seed import USER_AGENT

    spec = json.loads(Path(spec_path).read_text())
    module, name = spec["app"].split(":")
    application = getattr(importlib.import_module(module), name)
    environs = []
    for route, path, cookie in spec["routes"]:
        headers = {"User-Agent": USER_AGENT, **({"Cookie": cookie} if cookie else {})}
        builder = EnvironBuilder(path=path, base_url="http://127.0.0.1:8000", headers=headers,
                                 environ_base={"REMOTE_ADDR": "127.0.0.1"})
        environ = builder.get_environ()
        builder.close()
        for _ in range(spec["warmup"]):
            status = _call(application, environ)
            if not status.startswith("200"):
                sys.exit(f"{route} ({path}) answered {status}")
        environs.append(environ)
    _measured(lambda: None)
    for environ in environs:
        _measured(lambda: [_call(application, environ) for _ in range(spec["requests"])])


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    _child(sys.argv[1])
