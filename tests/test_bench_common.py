"""bench.common's process hygiene: a benchmark stopped with SIGTERM stops its throwaway Neo4j."""

from __future__ import annotations

import signal
import subprocess
import sys

from kb.settings import PROJECT_ROOT

# What a benchmark does around its throwaway server, with a file standing for the server's stop.
SCRIPT = """
import os, signal, sys, time
from bench.common import stop_servers_on_sigterm
stop_servers_on_sigterm()
try:
    print("started", flush=True)
    time.sleep(60)
finally:
    open(sys.argv[1], "w").write("stopped")
"""


def test_a_sigterm_runs_the_finally_that_stops_the_server(tmp_path):
    flag = tmp_path / "stopped"
    proc = subprocess.Popen([sys.executable, "-c", SCRIPT, str(flag)], cwd=PROJECT_ROOT, stdout=subprocess.PIPE,
                            text=True)
    assert proc.stdout.readline().strip() == "started"
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=60) == 128 + signal.SIGTERM
    assert flag.read_text() == "stopped"


def test_a_handler_set_before_is_kept():
    from bench.common import stop_servers_on_sigterm

    def mine(signum, frame):  # pragma: no cover - never sent
        pass

    before = signal.signal(signal.SIGTERM, mine)
    try:
        stop_servers_on_sigterm()
        assert signal.getsignal(signal.SIGTERM) is mine
    finally:
        signal.signal(signal.SIGTERM, before)
