"""Runs the web server (gunicorn), a Celery worker and Celery beat; Ctrl-C stops all three.

A process that exits (a worker that crashed on a broker restart, say) is started again with
back-off (1 s, 2 s, 4 s ... 30 s) while the others keep running."""

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


# A child that exits is started again after BACKOFF[0] seconds, doubling up to BACKOFF[1] while it
# keeps failing; one that ran for STABLE_SECONDS before exiting starts again from BACKOFF[0].
BACKOFF = (1.0, 30.0)
STABLE_SECONDS = 60.0


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main() -> int:
    """Starts every process, restarts one that exits (with back-off), stops all on Ctrl-C."""
    children = {name: subprocess.Popen(cmd, cwd=ROOT) for name, cmd in PROCESSES.items()}
    started = dict.fromkeys(children, time.monotonic())
    failures = dict.fromkeys(children, 0)
    restart_at: dict[str, float] = {}
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
    while not stopping:
        now = time.monotonic()
        for name, proc in children.items():
            if name in restart_at:
                if now >= restart_at[name]:
                    del restart_at[name]
                    children[name] = subprocess.Popen(PROCESSES[name], cwd=ROOT)
                    started[name] = now
                    say(f"*** {name} restarted (pid {children[name].pid}).")
            elif proc.poll() is not None:
                if now - started[name] >= STABLE_SECONDS:
                    failures[name] = 0
                delay = min(BACKOFF[1], BACKOFF[0] * 2 ** failures[name])
                failures[name] += 1
                restart_at[name] = now + delay
                say(f"*** {name} exited with code {proc.returncode}; restarting in {delay:g} s.")
        time.sleep(0.2)
    for proc in children.values():
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 15
    for proc in children.values():
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
