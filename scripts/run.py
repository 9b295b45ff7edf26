"""Runs the web server (gunicorn), a Celery worker and Celery beat; Ctrl-C stops all three."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
BIND = os.environ.get("BIND", "127.0.0.1:8000")

PROCESSES = {
    "web": [
        str(BIN / "gunicorn"),
        "harbour.wsgi:application",
        "--bind",
        BIND,
        "--workers",
        os.environ.get("WEB_CONCURRENCY", "2"),
        "--threads",
        "4",
        "--access-logfile",
        "-",
    ],
    "worker": [
        str(BIN / "celery"),
        "-A",
        "harbour",
        "worker",
        "--loglevel",
        "INFO",
        "--concurrency",
        "2",
    ],
    "beat": [
        str(BIN / "celery"),
        "-A",
        "harbour",
        "beat",
        "--loglevel",
        "INFO",
        "--schedule",
        str(ROOT / ".celerybeat-schedule"),
    ],
}


def main() -> int:
    children = {name: subprocess.Popen(cmd, cwd=ROOT) for name, cmd in PROCESSES.items()}
    print(
        f"\nHarbour is running on http://{BIND}/ (health: http://{BIND}/healthz). Ctrl-C stops it.\n",
        flush=True,
    )
    stopping = False

    def stop(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    exit_code = 0
    while not stopping:
        for name, proc in children.items():
            if proc.poll() is not None:
                print(
                    f"*** {name} exited with code {proc.returncode}; stopping the rest.",
                    file=sys.stderr,
                )
                exit_code, stopping = proc.returncode or 1, True
                break
        time.sleep(0.5)
    for proc in children.values():
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 15
    for proc in children.values():
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
