"""The cluster `make bench-cluster` runs, on loopback: a self-signed certificate, a PostgreSQL database, Redis,
a bare courses repository, two gunicorn instances, the job worker and nginx in front.
`running_cluster()` starts it all and stops and removes it all again, whatever happened in between."""
import contextlib
import datetime
import ipaddress
import os
import secrets
import shutil
import signal
import socket
import ssl
import string
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import redis
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from app.certificates.issuer import KEYS_FOLDER

from .cluster_course import write_courses

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
#: a PostgreSQL user allowed to create databases; the bench's own database is made (and dropped) beside this one
POSTGRES_URL = os.environ.get("SOGLIA_BENCH_POSTGRES_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
DATABASE = "soglia_cluster"
REDIS_HOST = "redis://127.0.0.1:6379"
#: Redis databases: rate limits and the course-reload signal; the job queue
LIMITS_DB, JOBS_DB = 4, 5
WORKERS = int(os.environ.get("BENCH_CLUSTER_WORKERS", "2"))
SITE_TEMPLATE = ROOT / "deploy" / "nginx.conf"

#: the nginx main configuration around the site file: this run's folders, the upstream each request went to,
#: and a second front end with one app server (as many workers as the two) behind it, to compare against
MAIN_CONF = """worker_processes auto;
pid $tmp/nginx.pid;
error_log stderr warn;
events { worker_connections 1024; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    log_format upstream '$$server_port $$upstream_addr $$status';
    access_log $tmp/nginx-access.log upstream buffer=64k flush=1s;
    client_body_temp_path $tmp/nginx-temp/body;
    proxy_temp_path $tmp/nginx-temp/proxy;
    fastcgi_temp_path $tmp/nginx-temp/fastcgi;
    uwsgi_temp_path $tmp/nginx-temp/uwsgi;
    scgi_temp_path $tmp/nginx-temp/scgi;
    include $tmp/soglia-site.conf;

    upstream soglia_single { server $alone; keepalive 16; }
    server {
        listen 127.0.0.1:$single_port ssl http2;
        ssl_certificate $cert;
        ssl_certificate_key $key;
        location / {
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $$http_host;
            proxy_set_header X-Forwarded-For $$proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $$scheme;
            proxy_pass http://soglia_single;
        }
    }
}
"""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Cluster:
    """Where everything listens, and what was started."""

    tmp: Path
    cert: Path
    front: str  # https://127.0.0.1:<port>: nginx, both instances behind it
    single_front: str  # https://127.0.0.1:<port>: nginx, the third instance alone behind it
    instances: list[str]  # http://127.0.0.1:<port> of each gunicorn of the cluster
    alone: str  # http://127.0.0.1:<port> of the third, with the workers of both
    database_url: str
    env: dict
    courses_remote: Path
    sync_channel: str
    processes: dict = field(default_factory=dict)


def self_signed_certificate(folder):
    """A one-day certificate for localhost and 127.0.0.1: (certificate path, key path)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                    x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = Path(folder) / "cert.pem", Path(folder) / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    key_path.chmod(0o600)
    return cert_path, key_path


def _git(*args):
    subprocess.run(["git", *args], check=True, capture_output=True)


def courses_remote(tmp):
    """A bare repository holding the bench courses, as production's courses remote."""
    work, bare = tmp / "courses-seed", tmp / "courses.git"
    write_courses(work)
    _git("init", "-q", "--bare", "-b", "main", str(bare))
    _git("-C", str(work), "init", "-q", "-b", "main")
    _git("-C", str(work), "add", "-A")
    _git("-C", str(work), "-c", "user.name=Bench", "-c", "user.email=bench@localhost", "commit", "-q", "-m", "Seed")
    _git("-C", str(work), "push", "-q", str(bare), "main")
    shutil.rmtree(work)
    return bare


def _admin(statement):
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(statement)


def _flush_redis():
    for number in (LIMITS_DB, JOBS_DB):
        redis.Redis.from_url(f"{REDIS_HOST}/{number}").flushdb()


def instance_env(cluster, number):
    """The environment of app server `number` (1-based): its own instance folder and courses clone."""
    home = cluster.tmp / f"server-{number}"
    return {**cluster.env, "SOGLIA_INSTANCE_PATH": str(home / "instance"), "SOGLIA_COURSES_DIR": str(home / "courses")}


def _start(cluster, name, command, env):
    log = open(cluster.tmp / f"{name}.log", "wb")
    cluster.processes[name] = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                               start_new_session=True)
    log.close()


def log_tail(cluster, name, lines=30):
    path = cluster.tmp / f"{name}.log"
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""


def _wait_for(cluster, name, url, seconds=90):
    """Wait until `url` answers 200 (/ping), or fail with the process's log."""
    context = ssl.create_default_context(cafile=str(cluster.cert)) if url.startswith("https:") else None
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if cluster.processes[name].poll() is not None:
            raise RuntimeError(f"{name} stopped:\n{log_tail(cluster, name)}")
        try:
            with urllib.request.urlopen(url, timeout=2, context=context) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{name} did not answer {url} within {seconds} s:\n{log_tail(cluster, name)}")


def _gunicorn_command(port, workers):
    command = [str(VENV_BIN / "gunicorn"), "--workers", str(workers), "--bind", f"127.0.0.1:{port}", "--chdir",
               str(ROOT)]
    if (ROOT / "gunicorn.conf.py").exists():
        command += ["--config", str(ROOT / "gunicorn.conf.py")]
    return command + ["wsgi:app"]


def _start_instances(cluster, ports):
    """Migrate the database with server 1's settings, give server 2 the same signing key, start both, and a third
    with as many workers as the two together (to compare against, alone behind nginx's second front end)."""
    first = instance_env(cluster, 1)
    subprocess.run([str(VENV_BIN / "flask"), "--app", "wsgi", "db", "upgrade"], cwd=ROOT, env=first, check=True,
                   capture_output=True)
    # every server signs credentials with the same keys (made by the first start)
    shutil.copytree(Path(first["SOGLIA_INSTANCE_PATH"]) / KEYS_FOLDER,
                    Path(instance_env(cluster, 2)["SOGLIA_INSTANCE_PATH"]) / KEYS_FOLDER)
    for number, port in enumerate(ports, start=1):
        _start(cluster, f"app-{number}", _gunicorn_command(port, WORKERS), instance_env(cluster, number))
    _start(cluster, "app-alone", _gunicorn_command(cluster.alone[len("http://"):].split(":")[1], 2 * WORKERS),
           instance_env(cluster, 3))
    for number, url in enumerate(cluster.instances, start=1):
        _wait_for(cluster, f"app-{number}", url + "/ping")
    _wait_for(cluster, "app-alone", cluster.alone + "/ping")


def _start_worker(cluster):
    """`flask jobs worker`: renders certificate PDFs into the folder the servers share."""
    _start(cluster, "worker", [str(VENV_BIN / "flask"), "--app", "wsgi", "jobs", "worker"], instance_env(cluster, 1))
    time.sleep(2)
    if cluster.processes["worker"].poll() is not None:
        raise RuntimeError(f"the job worker stopped:\n{log_tail(cluster, 'worker')}")


def _start_nginx(cluster, cert, key, https_port, single_port):
    apps = [url[len("http://"):] for url in cluster.instances]
    site = string.Template(SITE_TEMPLATE.read_text()).safe_substitute(
        SOGLIA_SERVER_NAME="localhost", SOGLIA_LISTEN_ADDRESS="127.0.0.1", SOGLIA_HTTP_PORT=free_port(),
        SOGLIA_HTTPS_PORT=https_port, SOGLIA_CERT=cert, SOGLIA_CERT_KEY=key, SOGLIA_APP_1=apps[0],
        SOGLIA_APP_2=apps[1], SOGLIA_STATIC=ROOT / "app" / "static")
    assert "${SOGLIA_" not in site, "deploy/nginx.conf has a value the bench does not fill in"
    (cluster.tmp / "soglia-site.conf").write_text(site)
    (cluster.tmp / "nginx-temp").mkdir()
    main = string.Template(MAIN_CONF).substitute(tmp=cluster.tmp, alone=cluster.alone[len("http://"):],
                                                 single_port=single_port, cert=cert, key=key)
    (cluster.tmp / "nginx.conf").write_text(main)
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    _start(cluster, "nginx", [nginx, "-p", str(cluster.tmp), "-e", "stderr",
                              "-c", str(cluster.tmp / "nginx.conf"), "-g", "daemon off;"], os.environ.copy())


def _stop(cluster):
    for name, process in reversed(cluster.processes.items()):
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
    for name, process in cluster.processes.items():
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@contextlib.contextmanager
def running_cluster():
    """Start everything on free loopback ports; on leaving, stop it, drop the database, empty Redis, remove files."""
    tmp = Path(os.environ.get("TMPDIR", "/tmp")) / f"soglia-cluster-{secrets.token_hex(4)}"
    tmp.mkdir(mode=0o755)
    https_port, single_port = free_port(), free_port()
    ports = [free_port(), free_port()]
    database_url = urllib.parse.urlsplit(POSTGRES_URL)._replace(path=f"/{DATABASE}").geturl()
    channel = f"soglia-bench-cluster-{secrets.token_hex(4)}"
    remote = courses_remote(tmp)
    env = {
        **os.environ,
        "SOGLIA_DATABASE_URL": database_url,
        "SOGLIA_SECRET_KEY": secrets.token_hex(32),
        "SOGLIA_RATELIMIT_STORAGE_URI": f"{REDIS_HOST}/{LIMITS_DB}",
        "SOGLIA_COURSES_REMOTE": str(remote),
        "SOGLIA_COURSES_SYNC_REDIS_URL": f"{REDIS_HOST}/{LIMITS_DB}",
        "SOGLIA_COURSES_SYNC_CHANNEL": channel,
        "SOGLIA_JOBS_REDIS_URL": f"{REDIS_HOST}/{JOBS_DB}",
        "SOGLIA_CERTIFICATE_PDF_DIR": str(tmp / "certificate-pdfs"),  # shared by the servers and the worker
        "SOGLIA_SESSION_COOKIE_SECURE": "true",
        "SOGLIA_TRUSTED_PROXIES": "1",
        "SOGLIA_PUBLIC_BASE_URL": f"https://127.0.0.1:{https_port}",
        "SOGLIA_ORGANISATION_NAME": "Soglia Bench",
    }
    cert, key = self_signed_certificate(tmp)
    cluster = Cluster(tmp=tmp, cert=cert, front=f"https://127.0.0.1:{https_port}",
                      single_front=f"https://127.0.0.1:{single_port}",
                      instances=[f"http://127.0.0.1:{port}" for port in ports], alone=f"http://127.0.0.1:{free_port()}",
                      database_url=database_url, env=env,
                      courses_remote=remote, sync_channel=channel)
    try:
        _admin(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        _admin(f"CREATE DATABASE {DATABASE}")
        _flush_redis()
        _start_instances(cluster, ports)
        _start_worker(cluster)
        _start_nginx(cluster, cert, key, https_port, single_port)
        _wait_for(cluster, "nginx", cluster.front + "/ping")
        _wait_for(cluster, "nginx", cluster.single_front + "/ping")
        yield cluster
    finally:
        _stop(cluster)
        with contextlib.suppress(psycopg.Error):
            _admin(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        with contextlib.suppress(redis.RedisError):
            _flush_redis()
        shutil.rmtree(tmp, ignore_errors=True)

