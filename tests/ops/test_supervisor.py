"""`make run` (scripts/run.py) restarts a crashed worker or beat with back-off instead of stopping
everything, and still stops all on Ctrl-C. The supervisor runs with stand-in children (small
Python processes that record their pids), so the test needs no server."""

import os
import signal
import subprocess
import sys
import textwrap

from tests.conftest import ROOT, wait_for

CHILD = "import os, sys, time; open(sys.argv[1], 'a').write(f'{os.getpid()}\\n'); time.sleep(600)"


def pids(tmp_path, name) -> list[int]:
    path = tmp_path / f"{name}.pids"
    return [int(x) for x in path.read_text().split()] if path.exists() else []


def alive(pid) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped) is not alive.
    with open(f"/proc/{pid}/stat") as f:
        return f.read().split(") ")[1][0] != "Z"


def test_a_crashed_worker_or_beat_is_restarted_and_ctrl_c_stops_everything(tmp_path):
    driver = tmp_path / "driver.py"
    driver.write_text(
        textwrap.dedent(
            f"""
            import sys
            sys.path.insert(0, {str(ROOT / "scripts")!r})
            import run
            child = {CHILD!r}
            run.PROCESSES = {{
                name: [sys.executable, "-c", child, {str(tmp_path)!r} + f"/{{name}}.pids"]
                for name in ("web", "worker", "beat")
            }}
            run.BACKOFF = (0.2, 1.0)
            sys.exit(run.main())
            """
        )
    )
    supervisor = subprocess.Popen(
        [sys.executable, str(driver)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        for name in ("web", "worker", "beat"):
            wait_for(lambda n=name: pids(tmp_path, n), timeout=20, message=f"{name} to start")
        [web] = pids(tmp_path, "web")
        [worker] = pids(tmp_path, "worker")
        [beat] = pids(tmp_path, "beat")

        os.kill(worker, signal.SIGKILL)  # the worker crashes
        wait_for(lambda: len(pids(tmp_path, "worker")) == 2, timeout=20, message="a new worker")
        os.kill(beat, signal.SIGKILL)
        wait_for(lambda: len(pids(tmp_path, "beat")) == 2, timeout=20, message="a new beat")
        os.kill(pids(tmp_path, "worker")[-1], signal.SIGKILL)  # and again: back-off, restarted
        wait_for(lambda: len(pids(tmp_path, "worker")) == 3, timeout=20, message="a third worker")
        assert supervisor.poll() is None
        assert pids(tmp_path, "web") == [web] and alive(web)  # the others kept running
        current = [pids(tmp_path, "worker")[-1], pids(tmp_path, "beat")[-1], web]
        assert all(alive(pid) for pid in current)

        supervisor.send_signal(signal.SIGINT)  # Ctrl-C
        assert supervisor.wait(timeout=30) == 0
        wait_for(lambda: not any(alive(pid) for pid in current), timeout=10, message="all stopped")
        output = supervisor.stdout.read()
        assert "worker exited with code -9; restarting in 0.2 s" in output
        assert "worker exited with code -9; restarting in 0.4 s" in output
    finally:
        if supervisor.poll() is None:
            supervisor.kill()
        for name in ("web", "worker", "beat"):
            for pid in pids(tmp_path, name):
                if alive(pid):
                    os.kill(pid, signal.SIGKILL)
