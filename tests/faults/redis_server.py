"""A redis-server of the test's own on a free loopback port: started, stopped (or killed) and
started again on the same port by the test. No persistence (as in docker-compose.yml), so a
restart loses what was queued, the hard case."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
from contextlib import contextmanager
from pathlib import Path

import redis

from tests.conftest import ROOT, wait_for


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    def __init__(self, workdir: Path, name: str = "redis"):
        if shutil.which("redis-server") is None:
            raise RuntimeError("redis-server is missing: apt-get install redis-server")
        self.workdir = workdir
        self.name = name
        self.port = free_port()
        self.proc: subprocess.Popen | None = None
        self.log_path = ROOT / "test-artifacts" / f"{name}-{self.port}.log"

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def client(self) -> redis.Redis:
        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=1)

    def ping(self) -> bool:
        try:
            return bool(self.client().ping())
        except redis.RedisError:
            return False

    def start(self) -> RedisServer:
        self.log_path.parent.mkdir(exist_ok=True)
        with open(self.log_path, "a") as log:
            self.proc = subprocess.Popen(
                ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
                + ["--save", "", "--appendonly", "no", "--dir", str(self.workdir)],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        wait_for(self.ping, timeout=20, message=f"redis-server on port {self.port}")
        return self

    def stop(self, sig=signal.SIGTERM) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(sig)
        self.proc.wait(timeout=20)
        wait_for(lambda: not self.ping(), timeout=10, message="redis-server to stop")

    def kill(self) -> None:
        self.stop(signal.SIGKILL)


@contextmanager
def redis_server(workdir: Path, name: str = "redis"):
    server = RedisServer(workdir, name).start()
    try:
        yield server
    finally:
        server.kill()


@contextmanager
def celery_broker(url: str):
    """Points this process's Celery app (publishing) at `url`, then back."""
    from harbour.celery import app

    old = app.conf.broker_url
    app.conf.broker_url = url
    app._pool = None
    app.amqp._producer_pool = None
    try:
        yield app
    finally:
        app.conf.broker_url = old
        app._pool = None
        app.amqp._producer_pool = None
