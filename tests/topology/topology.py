"""A whole deployment on loopback ports, started from this machine's own programs: nginx in front of N
Streamlit servers, M workers, PostgreSQL (a fresh database), Redis (a queue of its own), an S3 server.

Used by the topology test and by the load benchmark (benchmarks/bench_scale.py).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "scale"))
from scalekit import CREDENTIALS, S3Server, free_port, wait_for  # noqa: E402

PG_URL = os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
PASSWORD = "topology pass 1"


def can_run() -> str | None:
    """Why the topology cannot start here, or None."""
    if shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists():
        return "nginx is not installed (apt-get install nginx)"
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except Exception as error:
        return f"Redis at {REDIS_URL} is unreachable: {error}"
    try:
        engine = create_engine(PG_URL)
        with engine.connect():
            pass
        engine.dispose()
    except Exception as error:
        return f"PostgreSQL at {PG_URL} is unreachable: {str(error).splitlines()[0]}"
    return None


@dataclass
class Topology:
    """The processes of one deployment; `start()`, then `stop()` (or use it as a context manager)."""

    folder: Path
    servers: int = 2
    workers: int = 1
    stale_seconds: float = 3.0
    part_size: int = 10
    schools: int = 0
    """0: the demo district (as `xinyu demo` loads it); else a synthetic district of that many schools."""
    env: dict[str, str] = field(default_factory=dict)
    procs: dict[str, subprocess.Popen] = field(default_factory=dict)
    ports: list[int] = field(default_factory=list)

    def __enter__(self) -> Topology:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- start --------------------------------------------------------------------------------------------

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.s3 = S3Server(self.folder / "s3.log")
        self.bucket = self.s3.bucket()
        self.database = f"xinyu_topo_{uuid.uuid4().hex[:10]}"
        admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{self.database}"'))
        admin.dispose()
        self.database_url = PG_URL.rsplit("/", 1)[0] + f"/{self.database}"
        self.queue = f"xinyu-topo-{uuid.uuid4().hex[:8]}"
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("XINYU_") and k != "DATABASE_URL"},
            **CREDENTIALS,
            "AWS_DEFAULT_REGION": "us-east-1",
            "DATABASE_URL": self.database_url,
            "XINYU_DATA_DIR": str(self.folder / "data"),
            "XINYU_STORAGE_URL": f"s3://{self.bucket}/xinyu",
            "XINYU_S3_ENDPOINT_URL": self.s3.url,
            "XINYU_S3_ADDRESSING_STYLE": "path",
            "XINYU_BROKER_URL": REDIS_URL,
            "XINYU_JOB_QUEUE": self.queue,
            "XINYU_JOB_STALE_SECONDS": str(self.stale_seconds),
            "XINYU_JOB_PART_SIZE": str(self.part_size),
            "XINYU_DEMO_PASSWORD": PASSWORD,
            "PYTHONPATH": str(ROOT),
        }
        # migrate and load the district once, before any server starts (as `xinyu db upgrade && xinyu demo` would)
        if self.schools:
            self.load_synthetic()
        else:
            self.run_cli("demo")
        self.ports = [free_port() for _ in range(self.servers)]
        for n, port in enumerate(self.ports):
            self.start_server(n, port)
        for n in range(self.workers):
            self.start_worker(n)
        if self.servers:
            self.proxy_port = free_port()
            self.start_nginx()
        for port in self.ports:
            wait_for(lambda p=port: health(f"http://127.0.0.1:{p}"), 90, f"the Streamlit server on {port}")
        if self.servers:
            wait_for(lambda: health(self.proxy), 30, "nginx")
        self.wait_workers(self.workers)

    def wait_workers(self, n: int) -> None:
        """Until `n` workers listen to the deployment's queue."""
        if not n:
            return
        import redis
        from rq import Queue, Worker

        connection = redis.Redis.from_url(REDIS_URL)
        queue = Queue(self.queue, connection=connection)
        wait_for(lambda: len(Worker.all(queue=queue)) >= n, 60, f"{n} workers")
        connection.close()

    def load_synthetic(self) -> None:
        """A generated district (`sample_data.generator`) loaded the way the demo is, accounts included."""
        from criteria import DEFAULT_FRAMEWORK, load_framework
        from sample_data.generator import generate_district
        from store.bootstrap import open_services
        from store.demo import DistrictFrames, load_district

        framework = load_framework()
        district = generate_district(self.schools, seed=2025, framework=framework)
        os.environ.update(CREDENTIALS)
        services = open_services(self.settings())
        frames = DistrictFrames(district.facts, district.ratings, district.assignments, {})
        text_ = DEFAULT_FRAMEWORK.read_text(encoding="utf-8-sig")
        load_district(services.ctx, framework=framework, framework_text=text_, district=frames, fixed_password=PASSWORD)
        services.close()

    @property
    def proxy(self) -> str:
        return f"http://127.0.0.1:{self.proxy_port}"

    def run_cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [sys.executable, "-m", "cli.main", *args],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        return done

    def spawn(self, name: str, args: list[str]) -> subprocess.Popen:
        with (self.folder / f"{name}.log").open("ab") as log:  # the child keeps its own handle
            proc = subprocess.Popen(args, env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        self.procs[name] = proc
        return proc

    def start_server(self, n: int, port: int) -> None:
        self.spawn(
            f"app{n}",
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "app.py",
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
                "--browser.gatherUsageStats",
                "false",
                "--server.fileWatcherType",
                "none",
            ],
        )

    def start_worker(self, n: int) -> subprocess.Popen:
        return self.spawn(f"worker{n}", [sys.executable, "-m", "cli.main", "worker"])

    def kill(self, name: str) -> None:
        proc = self.procs.pop(name)
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)

    def start_nginx(self) -> None:
        prefix = self.folder / "nginx"
        prefix.mkdir(exist_ok=True)
        template = (ROOT / "deploy" / "nginx.conf.template").read_text(encoding="utf-8")
        servers = "\n".join(f"        server 127.0.0.1:{p};" for p in self.ports)
        nodes = "\n".join(f'        "127.0.0.1:{p}" 127.0.0.1:{p};' for p in self.ports)
        config = (
            template.replace("{{USER}}", "user root;" if os.geteuid() == 0 else "")
            .replace("{{PREFIX}}", str(prefix))
            .replace("{{SERVERS}}", servers)
            .replace("{{NODES}}", nodes)
            .replace("{{LISTEN}}", f"127.0.0.1:{self.proxy_port}")
        )
        (prefix / "nginx.conf").write_text(config, encoding="utf-8")
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        self.spawn("nginx", [nginx, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-g", "daemon off;"])

    # --- stop ---------------------------------------------------------------------------------------------

    def stop(self) -> None:
        for name, proc in list(self.procs.items()):
            with contextlib.suppress(ProcessLookupError):
                proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
            self.procs.pop(name, None)
        if getattr(self, "s3", None) is not None:
            self.s3.stop()
        with contextlib.suppress(Exception):
            import redis

            connection = redis.Redis.from_url(REDIS_URL)
            for key in connection.scan_iter(f"rq:*{self.queue}*"):
                connection.delete(key)
        if getattr(self, "database", None):
            admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)'))
            admin.dispose()

    # --- use ----------------------------------------------------------------------------------------------

    def settings(self):
        """The deployment's settings, as one of its processes reads them."""
        from settings import Settings

        keep = {k: v for k, v in os.environ.items()}
        try:
            os.environ.update(self.env)
            return Settings(_env_file=None)
        finally:
            os.environ.clear()
            os.environ.update(keep)


def health(base: str) -> bool:
    with urllib.request.urlopen(base + "/_stcore/health", timeout=3) as response:
        return response.read() == b"ok"


def get(url: str, cookie: str | None = None) -> tuple[int, dict[str, str], bytes]:
    """Status, headers (`xinyu_node`: the sticky cookie nginx set) and body of a GET."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=10) as response:
        headers = dict(response.headers)
        for line in response.headers.get_all("Set-Cookie") or []:
            if line.startswith("xinyu_node="):
                headers["xinyu_node"] = line.split(";")[0]
        return response.status, headers, response.read()
