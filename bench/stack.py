"""What a benchmark starts and stops: a fresh database, Odoo, the gateway, the sandbox.

Everything runs on loopback with the python that runs Odoo (``ODOO_PYTHON`` or the current
one). Processes run in their own session so that a kill reaches their workers, and every
process started is stopped and the database dropped when the stack closes.
"""

import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from contextlib import closing, suppress
from pathlib import Path

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
BENCH_ADDONS = ROOT / "bench" / "addons"
FILESTORE = Path.home() / ".local/share/Odoo/filestore"
DEV_KEY = "1fzwxU1MIAXgrWBGvzscfB36PTKm13uKkcU-3ibRadM="


def free_port():
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_port(port, timeout=60.0, process=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"process exited with {process.returncode} before listening")
        with closing(socket.socket()) as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


class Stack:
    """A fresh database with the suite installed, and the servers of one benchmark."""

    def __init__(self, scenario, modules, keep=False):
        self.python = os.environ.get("ODOO_PYTHON") or sys.executable
        self.db = f"lsbench_{scenario}_{time.strftime('%Y%m%d_%H%M%S')}"
        self.modules = modules
        self.keep = keep
        self.dir = Path(tempfile.mkdtemp(prefix="lsbench_"))
        self.pg = {
            "host": os.environ.get("PGHOST", "127.0.0.1"),
            "port": int(os.environ.get("PGPORT", "5432")),
            "user": os.environ.get("PGUSER") or os.environ.get("USER") or "root",
        }
        self.processes = {}
        self.odoo_port = None
        self.conf = self.dir / "odoo.conf"
        self.env = dict(
            os.environ, LOGISTICS_SECRET_KEY=os.environ.get("LOGISTICS_SECRET_KEY", DEV_KEY)
        )

    # -- life cycle ------------------------------------------------------------------

    def __enter__(self):
        self.write_conf()
        self.install()
        return self

    def __exit__(self, *exc_info):
        self.close()

    def write_conf(self, **extra):
        options = {
            "addons_path": f"{ROOT},{BENCH_ADDONS}",
            "db_host": self.pg["host"],
            "db_port": self.pg["port"],
            "db_user": self.pg["user"],
            "db_name": self.db,
            "dbfilter": f"^{self.db}$",
            "list_db": "False",
            "logistics_secret_key": self.env["LOGISTICS_SECRET_KEY"],
            "logfile": str(self.dir / "odoo.log"),
            "log_level": "warn",
            "db_maxconn": 32,
            "limit_time_real": 600,
            "limit_time_cpu": 600,
            **extra,
        }
        self.conf.write_text(
            "[options]\n" + "".join(f"{key} = {value}\n" for key, value in options.items())
        )

    def install(self):
        """Create the database from a template with the modules installed.

        The template is made once per version of the code (its name carries a hash of the
        addons and of logistics_adapters) and kept; each run gets a fresh copy of it.
        """
        started = time.monotonic()
        template = f"lsbench_tpl_{self.code_hash()}"
        if not self.database_exists(template):
            log_db, self.db = self.db, template
            self.write_conf()
            try:
                self._run_odoo(
                    ["-i", ",".join(self.modules), "--stop-after-init", "--no-http"], "install"
                )
            except BaseException:  # a run stopped (SIGTERM, ^C) must not leave half a template
                self.drop(template)
                raise
            finally:
                self.db = log_db
                self.write_conf()
            self.drop_old_templates(keep=3)
        with closing(self.connect("postgres")) as conn:
            conn.autocommit = True
            with conn.cursor() as cr:
                cr.execute(f'CREATE DATABASE "{self.db}" TEMPLATE "{template}"')
        source = FILESTORE / template
        if source.is_dir():
            shutil.copytree(source, FILESTORE / self.db)
        self.install_seconds = time.monotonic() - started

    def code_hash(self):
        digest = hashlib.sha256(",".join(sorted(self.modules)).encode())
        folders = [ROOT / "logistics_adapters", BENCH_ADDONS]
        folders += [ROOT / name for name in self.modules if (ROOT / name).is_dir()]
        for folder in folders:
            for path in sorted(folder.rglob("*")):
                if path.is_file() and "__pycache__" not in path.parts:
                    digest.update(str(path.relative_to(ROOT)).encode())
                    digest.update(path.read_bytes())
        return digest.hexdigest()[:12]

    def drop_old_templates(self, keep):
        """Templates of older versions of the code are not used again: keep the newest."""
        with closing(self.connect("postgres")) as conn, conn.cursor() as cr:
            cr.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE 'lsbench\\_tpl\\_%%'"
                " ORDER BY oid DESC"
            )
            old = [row[0] for row in cr.fetchall()][keep:]
        for name in old:
            self.drop(name)

    def database_exists(self, name):
        with closing(self.connect("postgres")) as conn, conn.cursor() as cr:
            cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            return cr.fetchone() is not None

    def drop(self, name):
        with closing(self.connect("postgres")) as conn:
            conn.autocommit = True
            with conn.cursor() as cr:
                cr.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(FILESTORE / name, ignore_errors=True)

    def close(self):
        for name in list(self.processes):
            self.stop(name)
        if not self.keep:
            self.drop(self.db)
            shutil.rmtree(self.dir, ignore_errors=True)

    # -- processes -----------------------------------------------------------------------

    def _run_odoo(self, args, label):
        command = [self.python, "-m", "odoo", "-c", str(self.conf), *args]
        done = subprocess.run(
            command, cwd="/tmp", env=self.env, capture_output=True, text=True, check=False
        )
        if done.returncode:
            sys.stderr.write(done.stdout[-4000:] + done.stderr[-4000:])
            raise RuntimeError(f"odoo {label} failed ({done.returncode}); log: {self.dir}/odoo.log")
        return done

    def spawn(self, name, command, port=None, env=None):
        log = open(self.dir / f"{name}.out", "ab")  # noqa: SIM115 (kept open for the process)
        process = subprocess.Popen(
            command,
            cwd="/tmp",
            env=env or self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes[name] = process
        if port:
            wait_port(port, process=process)
        return process

    def stop(self, name, sig=signal.SIGTERM, timeout=30):
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        try:
            os.killpg(process.pid, sig)
            process.wait(timeout)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            with suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)

    def start_odoo(self, workers=2, crons=0, name="odoo"):
        self.odoo_port = self.odoo_port or free_port()
        command = [
            self.python, "-m", "odoo", "-c", str(self.conf),
            f"--workers={workers}", f"--max-cron-threads={crons}",
            "--http-interface=127.0.0.1", f"--http-port={self.odoo_port}",
            f"--gevent-port={free_port()}",
        ]  # fmt: skip
        process = self.spawn(name, command, self.odoo_port)
        self.wait_http(f"http://127.0.0.1:{self.odoo_port}/web/health")
        if crons:
            threading.Thread(target=self.wake_crons, daemon=True).start()
        return process

    def wake_crons(self, times=10, every=0.5):
        """Notify the cron workers as Odoo does when a job is triggered (they poll only
        every minute otherwise); a few times, as they may not listen yet."""
        for _ in range(times):
            with closing(self.connect("postgres")) as conn:
                conn.autocommit = True
                with conn.cursor() as cr:
                    cr.execute("SELECT pg_notify('cron_trigger', %s)", [self.db])
            time.sleep(every)

    def start_gateway(self, workers=2, threads=8):
        port = free_port()
        command = [
            self.python, "-m", "logistics_gateway", "-c", str(self.conf),
            "--port", str(port), "--workers", str(workers), "--threads", str(threads),
        ]  # fmt: skip
        self.spawn("gateway", command, port)
        return port

    def wait_http(self, url, timeout=60.0):
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    if response.status < 500:
                        return
            except OSError:
                if time.monotonic() > deadline:
                    raise
            time.sleep(0.2)

    # -- database and Odoo shell ------------------------------------------------------

    def connect(self, db=None):
        return psycopg2.connect(dbname=db or self.db, **self.pg)

    def sql(self, query, params=None):
        with closing(self.connect()) as conn, conn.cursor() as cr:
            cr.execute(query, params)
            rows = cr.fetchall() if cr.description else None
            conn.commit()
            return rows

    def scalar(self, query, params=None):
        return self.sql(query, params)[0][0]

    def shell(self, code, name=None):
        """Run ``code`` in ``odoo shell`` (``env`` is there; commit yourself) and return the
        JSON printed on the last line of its output."""
        script = self.dir / f"shell_{name or int(time.monotonic() * 1000)}.py"
        script.write_text(code)
        command = [
            self.python, "-m", "odoo", "shell", "-c", str(self.conf), "--no-http",
            "--shell-interface=python",
        ]  # fmt: skip
        done = subprocess.run(
            command,
            cwd="/tmp",
            env=self.env,
            input=code,
            capture_output=True,
            text=True,
            check=False,
        )
        lines = [line for line in done.stdout.splitlines() if line.strip()]
        if done.returncode or not lines:
            sys.stderr.write(done.stdout[-3000:] + done.stderr[-3000:])
            raise RuntimeError(f"odoo shell failed ({done.returncode}): {script}")
        return json.loads(lines[-1])
