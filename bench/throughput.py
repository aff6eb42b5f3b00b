"""Throughput under gunicorn measured with wrk, as ratios to a bare Flask hello-world and to Soglia's /ping."""
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from bench import gunicorn_conf
from bench.seed import USER_AGENT

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
DURATION = os.environ.get("BENCH_DURATION", "5s")
THREADS, CONNECTIONS = 2, 16


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(application, env, probe="/"):
    """Serve `application` ("module:app") with the settings of bench/gunicorn_conf.py; yields its base URL."""
    port = _free_port()
    server = subprocess.Popen([VENV_BIN / "gunicorn", "-c", str(ROOT / "bench/gunicorn_conf.py"),
                               "-b", f"127.0.0.1:{port}", application], cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(base + probe, server)
        yield base
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(10)


def _wait_for(url, server):
    for _ in range(300):
        if server.poll() is not None:
            raise RuntimeError(f"the server stopped before answering {url}")
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"server did not start: {url}")


def wrk(url, cookie=None):
    """(requests per second, 99th percentile latency, non-2xx/3xx responses)."""
    command = ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{DURATION}", "--latency", "-H", f"User-Agent: {USER_AGENT}",
               url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p99 = re.search(r"99%\s+(\S+)", output).group(1)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return rate, p99, int(non_2xx.group(1)) if non_2xx else 0


def measure(hello_base, soglia_base, routes):
    """wrk on hello-world before and after Soglia's routes (the mean is the baseline: drift shows)."""
    hello_before = wrk(hello_base + "/")
    results = {route.name: wrk(soglia_base + route.path, route.cookie) for route in routes}
    hello_after = wrk(hello_base + "/")
    return hello_before, hello_after, results


def report(hello_before, hello_after, results, routes):
    hello = (hello_before[0] + hello_after[0]) / 2
    ping = results["/ping"][0]
    print(f"\nthroughput: gunicorn {gunicorn_conf.workers} sync workers, wrk {THREADS} threads x {CONNECTIONS} "
          f"connections x {DURATION}, SQLite; hello-world {hello_before[0]:.0f} req/s before Soglia's routes, "
          f"{hello_after[0]:.0f} after (the ratios use the mean; a big gap means a busy machine)")
    print(f"{'route':26} {'req/s':>7} {'p99':>8} {'÷hello':>7} {'÷/ping':>7} {'goal':>6}")
    print(f"{'hello-world (Flask)':26} {hello:7.0f} {'':>8} {1:7.2f} {hello / ping:7.2f}")
    failed = 0
    for route in routes:
        rate, p99, errors = results[route.name]
        verdict = ""
        if route.goal is not None:
            met = rate / hello >= route.goal and not errors
            failed += not met
            verdict = f"≥{route.goal:.2f} {'PASS' if met else 'FAIL'}"
        flag = f"  ({errors} non-2xx!)" if errors else ""
        print(f"{route.name:26} {rate:7.0f} {p99:>8} {rate / hello:7.2f} {rate / ping:7.2f} {verdict:>6}{flag}")
    print(f"goals: {sum(r.goal is not None for r in routes) - failed} met, {failed} not met")
    return failed


def report_floor(measured, floor):
    """The floor app's logged-in hello beside hello-world: the least any logged-in page of this stack can cost."""
    hello_before, hello_after, _ = measured
    hello = (hello_before[0] + hello_after[0]) / 2
    rate, p99, errors = floor
    flag = f"  ({errors} non-2xx!)" if errors else ""
    print(f"{'floor: logged-in hello':26} {rate:7.0f} {p99:>8} {rate / hello:7.2f}          (Flask + Flask-Login + "
          f"Flask-SQLAlchemy, one user statement, no rule of Soglia's: bench/floor.py){flag}")
