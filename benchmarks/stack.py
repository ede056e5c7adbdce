"""
The production configuration on this machine, for the load and fault
scripts: PostgreSQL (a database of the script's own on the running server,
or a throw-away cluster of its own on another port), a Redis server of its
own, gunicorn bound to loopback and Celery workers, all with DJANGO_DEBUG
unset and a generated secret key. Every process is started here and stopped
here, by its own handle; nothing shared is restarted.

Also: a browser-like HTTP client that talks to gunicorn as nginx would
(X-Forwarded-Proto https, a client address in X-Forwarded-For, the
proxy trusted by DJANGO_TRUSTED_PROXIES), handles CSRF and the second
factor, and a calibration line (how fast this machine is right now).
"""

from __future__ import annotations

import hashlib
import hmac
import html.parser
import json
import os
import re
import secrets
import shutil
import signal
import socket
import struct
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
BIN = ROOT / ".venv" / "bin"
DEMO_PASSWORD = "LabelWatch-demo-2026"


def calibration_line() -> str:
    """A fixed pure-Python and hashing workload, and the machine's load, as one line."""
    began = time.perf_counter()
    total = 0
    for i in range(2_000_000):
        total += i * i % 7
    python_ms = (time.perf_counter() - began) * 1000
    began = time.perf_counter()
    digest = b"calibration"
    for _ in range(200_000):
        digest = hashlib.sha256(digest).digest()
    sha_ms = (time.perf_counter() - began) * 1000
    return (f"calibration: python loop {python_ms:.0f} ms, sha256 x200k {sha_ms:.0f} ms, "
            f"{os.cpu_count()} cores; uptime: {uptime()}")


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def _proc_times() -> dict[int, tuple[int, float, float]]:
    """Every process: (session id, own CPU seconds, reaped children's CPU seconds)."""
    ticks = os.sysconf("SC_CLK_TCK")
    times = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        times[int(stat.parent.name)] = (int(fields[3]), (int(fields[11]) + int(fields[12])) / ticks,
                                        (int(fields[13]) + int(fields[14])) / ticks)
    return times


def postgres_backend_cpu(database: str) -> dict[int, float]:
    """CPU seconds used so far by each PostgreSQL server process now connected to `database`."""
    import psycopg

    with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        pids = [row[0] for row in conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s", [database])]
    times = _proc_times()
    return {pid: times[pid][1] for pid in pids if pid in times}


def static_fingerprint() -> str:
    """What collectstatic's output depends on: the static folders' files, the packages, the settings."""
    digest = hashlib.sha256()
    for pinned in ("requirements.txt", "config/settings.py"):
        digest.update((ROOT / pinned).read_bytes())
    for folder in sorted([ROOT / "static", *ROOT.glob("*/static")]):
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                stat = path.stat()
                digest.update(f"{path.relative_to(ROOT)} {stat.st_size} {stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"nothing answers on 127.0.0.1:{port} after {timeout:.0f} s")


def pg_bin(name: str) -> str:
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    if found:
        return str(found[-1])
    return shutil.which(name) or name


class Stack:
    """
    Processes of the production layout. `env` is the environment every
    Django process gets. Start what you need; `stop()` (or the context
    manager) ends every process this object started, and only those.
    """

    def __init__(self, *, database_url: str, workdir: Path | None = None, web_port: int = 0,
                 media: Path | None = None, log=print):
        self.workdir = workdir or Path(tempfile.mkdtemp(prefix="lw-stack-"))
        self.web_port = web_port or free_port()
        self.redis_port = free_port()
        self.log = log
        self.processes: dict[str, subprocess.Popen] = {}
        # The files of a database kept from run to run (the demo's PDFs) must
        # be kept with it: pass its own `media` folder; by default a new one.
        media = media or self.workdir / "media"
        media.mkdir(parents=True, exist_ok=True)
        self.env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_DEBUG", "DATABASE_URL")}
        self.env.update({
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DATABASE_URL": database_url,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_CSRF_TRUSTED_ORIGINS": f"https://127.0.0.1:{self.web_port}",
            "DJANGO_TRUSTED_PROXIES": "127.0.0.1",
            "CELERY_BROKER_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "CACHE_URL": f"redis://127.0.0.1:{self.redis_port}/1",
            "SITE_URL": f"https://127.0.0.1:{self.web_port}",
            "MEDIA_ROOT": str(media),
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "PYTHONUNBUFFERED": "1",
        })

    # --- processes -----------------------------------------------------------

    def _spawn(self, name: str, argv: list[str], **kwargs) -> subprocess.Popen:
        out = open(self.workdir / f"{name}.log", "ab")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(argv, cwd=ROOT, env=kwargs.pop("env", self.env), stdout=out,
                                   stderr=subprocess.STDOUT, start_new_session=True, **kwargs)
        self.processes[name] = process
        return process

    def manage(self, *args: str, check: bool = True, timeout: float = 1800) -> str:
        result = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=self.env,
                                capture_output=True, text=True, timeout=timeout)
        if check and result.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def shell(self, code: str) -> str:
        return self.manage("shell", "-c", code)

    def start_redis(self) -> None:
        self._spawn("redis", ["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1",
                              "--save", "", "--appendonly", "no", "--dir", str(self.workdir)])
        wait_for_port(self.redis_port)

    def stop_redis(self) -> None:
        self.stop_one("redis")

    def start_web(self, workers: int = 4, threads: int = 1) -> None:
        # The production settings (config/gunicorn.py: the app loaded and warmed once, before the fork).
        self._spawn("gunicorn", [str(BIN / "gunicorn"), "-c", "config/gunicorn.py", "config.wsgi",
                                 "-w", str(workers),
                                 "--threads", str(threads), "-b", f"127.0.0.1:{self.web_port}",
                                 "--timeout", "60", "--access-logfile", "-"])
        wait_for_port(self.web_port)

    def start_worker(self, name: str = "worker", queues: str = "celery,notices,explicit",
                     concurrency: int = 1, pool: str = "prefork") -> subprocess.Popen:
        return self._spawn(name, [str(BIN / "celery"), "-A", "config", "worker", "-Q", queues,
                                  "-n", f"{name}@%h", "--concurrency", str(concurrency),
                                  "--pool", pool, "--loglevel", "INFO", "--without-gossip",
                                  "--without-mingle", "--without-heartbeat"])

    def start_beat(self) -> subprocess.Popen:
        return self._spawn("beat", [str(BIN / "celery"), "-A", "config", "beat", "--loglevel", "INFO",
                                    "-s", str(self.workdir / "beat-schedule")])

    def start_redis_again(self) -> None:
        """A new Redis server on the same port (the old one was stopped): an outage ends."""
        self.start_redis()

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        """Kill a started process and its children (its own session), as a crash would."""
        process = self.processes.get(name)
        if process and process.poll() is None:
            os.killpg(process.pid, sig)
            process.wait(timeout=30)

    def stop_one(self, name: str) -> None:
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)

    def stop(self) -> None:
        for name in list(self.processes)[::-1]:
            self.stop_one(name)

    def cpu_seconds(self) -> dict[str, float]:
        """
        CPU seconds (user and system) used so far by each started process
        and everything in its session (gunicorn's workers, Celery's pool),
        finished children included.
        """
        per_session: dict[int, float] = {}
        for pid, (session, own, children) in _proc_times().items():
            # Children's times reach a leader only once reaped: count them at the leader only.
            per_session[session] = per_session.get(session, 0.0) + own + (children if pid == session else 0)
        return {name: per_session.get(process.pid, 0.0) for name, process in self.processes.items()}

    def __enter__(self) -> Stack:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    # --- data ----------------------------------------------------------------

    def prepare(self, *, seed: int = 3) -> None:
        """Migrate, collect static files, and seed the demo if the database is empty."""
        began = time.monotonic()
        # `make static`: plotly.js comes out of the plotly wheel, never a CDN.
        plotly_js = ROOT / "static" / "vendor" / "plotly.min.js"
        if not plotly_js.exists():
            plotly_js.parent.mkdir(parents=True, exist_ok=True)
            subprocess.run([PYTHON, "-c", "import plotly, pathlib, shutil; shutil.copy(pathlib.Path("
                            "plotly.__file__).parent / 'package_data' / 'plotly.min.js', "
                            f"{str(plotly_js)!r})"], check=True)
        self.manage("migrate", "--noinput", "-v", "0")
        # collectstatic compresses every file again each time (about a minute
        # of CPU here, plotly.js and the API docs' bundles): only when a
        # static file, a package or the settings changed since the last one.
        collected = ROOT / "staticfiles" / ".collected-from"
        fingerprint = static_fingerprint()
        if not (collected.exists() and collected.read_text() == fingerprint
                and (ROOT / "staticfiles" / "staticfiles.json").exists()):
            self.manage("collectstatic", "--noinput", "-v", "0")
            collected.write_text(fingerprint)
        self.manage("seed_demo", "--if-empty", "--seed", str(seed))
        self.log(f"database ready in {time.monotonic() - began:.0f} s")

    def totp_accounts(self, role: str, count: int) -> dict[str, str]:
        """
        `count` accounts of `role` (load-<role>-NN, the demo password), each
        with a confirmed authenticator of its own: {username: hex key}. One
        device per simulated user, since a TOTP code is accepted once.
        """
        code = f"""
import json
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_totp.models import TOTPDevice
User = get_user_model()
keys = {{}}
for n in range(1, {count} + 1):
    user, _ = User.objects.get_or_create(username=f"load-{role}-{{n:02d}}",
        defaults={{"role": "{role}", "first_name": "压测{{n}}", "is_staff": "{role}" == "admin",
                  "is_superuser": "{role}" == "admin"}})
    user.set_password("{DEMO_PASSWORD}")
    user.save()
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or \\
        TOTPDevice.objects.create(user=user, name="load", confirmed=True)
    keys[user.username] = device.key
print(json.dumps(keys))
"""
        return json.loads(self.shell(code).strip().splitlines()[-1])


# --- PostgreSQL -------------------------------------------------------------------

def database_exists(name: str, *, admin_url: str = "postgres://postgres@127.0.0.1:5432/postgres") -> bool:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


def ensure_database(name: str, *, admin_url: str = "postgres://postgres@127.0.0.1:5432/postgres",
                    recreate: bool = False) -> str:
    """A database of our own on the shared server (never the server itself)."""
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and recreate:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    return admin_url.rsplit("/", 1)[0] + f"/{name}"


class PrivateCluster:
    """
    A PostgreSQL cluster of our own (initdb in a temporary folder, pg_ctl on
    its own port), so that it can be restarted without touching the shared
    server other people's tests use.
    """

    def __init__(self, port: int = 55432, workdir: Path | None = None):
        self.port = port
        self.workdir = workdir or Path(tempfile.mkdtemp(prefix="lw-pg-"))
        self.data = self.workdir / "data"
        self.url = f"postgres://postgres@127.0.0.1:{port}/labelwatch"

    @staticmethod
    def _as_owner(argv: list[str]) -> list[str]:
        # PostgreSQL refuses to run as root: run its tools as the postgres user.
        return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv

    def _pg_ctl(self, *args: str) -> None:
        subprocess.run(self._as_owner([pg_bin("pg_ctl"), "-D", str(self.data), "-l",
                                       str(self.workdir / "pg.log"), "-w", *args]),
                       check=True, capture_output=True)

    def start(self) -> None:
        if not self.data.exists():
            if os.geteuid() == 0:
                shutil.chown(self.workdir, user="postgres")
            subprocess.run(self._as_owner([pg_bin("initdb"), "-D", str(self.data), "-U", "postgres",
                                           "-A", "trust", "--no-sync", "-E", "UTF8", "--locale", "C.UTF-8"]),
                           check=True, capture_output=True)
            with open(self.data / "postgresql.conf", "a") as conf:  # root may append
                conf.write(f"\nport = {self.port}\nlisten_addresses = '127.0.0.1'\n"
                           f"unix_socket_directories = '{self.workdir}'\nfsync = on\n")
        self._pg_ctl("start")
        import psycopg

        with psycopg.connect(f"postgres://postgres@127.0.0.1:{self.port}/postgres",
                             autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname='labelwatch'").fetchone():
                conn.execute("CREATE DATABASE labelwatch")

    def restart(self, *, down_for: float = 0.0) -> None:
        """Stop (fast: connections are cut, as on a crash-restart), wait, start."""
        self._pg_ctl("stop", "-m", "fast")
        time.sleep(down_for)
        self._pg_ctl("start")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._pg_ctl("stop", "-m", "fast")

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)


# --- a browser behind nginx -------------------------------------------------------------

def totp(hex_key: str, at: float | None = None, step: int = 30, digits: int = 6) -> str:
    """RFC 6238 code for django-otp's TOTPDevice (SHA-1, 30 s, 6 digits, t0 0)."""
    counter = int((at if at is not None else time.time()) // step)
    mac = hmac.new(bytes.fromhex(hex_key), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    value = (struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF) % (10 ** digits)
    return str(value).zfill(digits)


class FormParser(html.parser.HTMLParser):
    """The forms of a page: action, method and the values a browser would send."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {"action": a.get("action") or "", "method": (a.get("method") or "get").lower(),
                          "fields": [], "buttons": []}
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind == "submit":
                self._form["buttons"].append((a["name"], a.get("value", "")))
            elif kind != "file":
                self._form["fields"].append((a["name"], a.get("value", "")))
        elif tag == "button" and a.get("name"):
            self._form["buttons"].append((a["name"], a.get("value", "")))
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self._form["fields"].append((a["name"], ""))
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            self._form["fields"].append((self._select, a.get("value", "")))

    def handle_data(self, data):
        if self._textarea and self._form:
            name, value = self._form["fields"][-1]
            self._form["fields"][-1] = (name, value + data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def forms_of(page: str) -> list[dict]:
    parser = FormParser()
    parser.feed(page)
    return parser.forms


LINK = re.compile(r'href="(/[^"#]*)"')


class Browser:
    """One simulated person: a cookie jar, a client address, CSRF and the second factor."""

    def __init__(self, base: str, client_ip: str, timeout: float = 30.0):
        import requests

        self.base = base.rstrip("/")
        self.session = requests.Session()
        # Cookies kept by hand: they are Secure (nginx terminated TLS before
        # this loopback hop), which a cookie jar would not send over http.
        self.cookies: dict[str, str] = {}
        self.session.headers.update({
            "X-Forwarded-Proto": "https", "X-Forwarded-For": client_ip,
            "User-Agent": "LabelWatch-load/1", "Accept-Language": "zh-Hans",
        })
        self.origin = "https://" + self.base.split("://", 1)[1]
        self.timeout = timeout
        self.last_url = self.origin + "/"

    def _send(self, method: str, path: str, headers: dict, **kwargs):
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        response = self.session.request(method, self.base + path, timeout=self.timeout,
                                        allow_redirects=False, headers=headers, **kwargs)
        for cookie in response.cookies:
            if cookie.value:
                self.cookies[cookie.name] = cookie.value
            else:
                self.cookies.pop(cookie.name, None)
        self.session.cookies.clear()
        return response

    def get(self, path: str, **kwargs):
        response = self._send("GET", path, {"Referer": self.last_url}, **kwargs)
        self.last_url = self.origin + path
        return response

    def post(self, path: str, data, **kwargs):
        csrf = self.cookies.get("csrftoken", "")
        headers = {"Referer": self.last_url, "Origin": self.origin, "X-CSRFToken": csrf}
        if isinstance(data, list):
            data = [(k, v) for k, v in data if k != "csrfmiddlewaretoken"] + [("csrfmiddlewaretoken", csrf)]
        else:
            data = {**data, "csrfmiddlewaretoken": csrf}
        return self._send("POST", path, headers, data=data, **kwargs)

    @staticmethod
    def local(location: str) -> str:
        """A redirect's Location as a path (SSL redirects name the https origin)."""
        return "/" + location.split("://", 1)[1].split("/", 1)[1] if "://" in location else location

    def login(self, username: str, password: str = DEMO_PASSWORD, totp_key: str | None = None,
              record=None) -> bool:
        """Log in through the forms; `record(response)` sees every response."""
        record = record or (lambda response: None)
        page = self.get("/accounts/login/")
        record(page)
        answer = self.post("/accounts/login/", {"username": username, "password": password, "next": "/"})
        record(answer)
        if answer.status_code != 302:
            return False
        # The landing page; staff who need a second factor are sent to the verify page.
        target = self.local(answer.headers["Location"])
        for _hop in range(5):
            if "two-step/verify" in target:
                record(self.get(target))
                answer = self.post("/accounts/two-step/verify/", {"token": totp(totp_key or ""), "next": "/"})
                record(answer)
                if answer.status_code != 302 or "two-step" in answer.headers["Location"]:
                    return False
                target = self.local(answer.headers["Location"])
                continue
            landing = self.get(target)
            record(landing)
            if landing.status_code == 200:
                return True
            if landing.status_code != 302:
                return False
            target = self.local(landing.headers["Location"])
        return False

    def links(self, page: str) -> list[str]:
        return LINK.findall(page)
