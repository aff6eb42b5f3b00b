"""`make bench-start`: gunicorn with 2 workers from a cold and a warm content cache, without preload (every worker
loads the app and renders the courses) and with gunicorn.conf.py (loaded once, before the fork). Reports the time
to the first lesson response and the CPU seconds the server used until it settled (steadier on a busy machine).
"""
import os
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

from bench.run import VENV_BIN, free_port

ROOT = Path(__file__).resolve().parent.parent
LESSON = "/courses/business-start-up/from-idea-to-business-model/check-your-idea"
ROUNDS = 2
SETUPS = (("without preload", ["-c", "/dev/null", "-w", "2"]), ("gunicorn.conf.py", ["-c", "gunicorn.conf.py"]))


def tree_cpu(pid):
    """CPU seconds (user and system) of a process and its children."""
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    total = 0
    for process in [str(pid), *found]:
        try:
            fields = Path(f"/proc/{process}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def start(arguments, cold):
    """(seconds to the first lesson response, CPU seconds until the server is idle)."""
    if cold:
        shutil.rmtree(ROOT / "instance" / "content-cache", ignore_errors=True)
    port = free_port()
    env = dict(os.environ, WEB_CONCURRENCY="2", SOGLIA_BIND=f"127.0.0.1:{port}")
    started = time.perf_counter()
    server = subprocess.Popen([str(VENV_BIN / "gunicorn"), *arguments, "-b", f"127.0.0.1:{port}", "wsgi:app"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}{LESSON}", timeout=60).read()
                break
            except OSError:
                if time.perf_counter() - started > 120:
                    raise
                time.sleep(0.02)
        first, cpu, still = time.perf_counter() - started, tree_cpu(server.pid), 0
        while still < 3:  # idle for 1.5 s: every worker has booted
            time.sleep(0.5)
            now = tree_cpu(server.pid)
            still, cpu = (still + 1, cpu) if now - cpu < 0.03 else (0, now)
        return first, cpu
    finally:
        server.terminate()
        server.wait()


def main():
    print(f"\ncold start, gunicorn 2 workers, best of {ROUNDS}: first lesson response / CPU until idle")
    for cold in (True, False):
        for name, arguments in SETUPS:
            runs = [start(arguments, cold) for _ in range(ROUNDS)]
            print(f"  {'cold' if cold else 'warm'} content cache, {name:17} {min(r[0] for r in runs):6.2f} s "
                  f"{min(r[1] for r in runs):6.2f} CPU s")


if __name__ == "__main__":
    main()
