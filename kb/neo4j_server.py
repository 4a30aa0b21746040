"""A local Neo4j Community server run from Maven Central jars, for machines without Docker.

Launched the way bin/neo4j launches it (see docs/neo4j-local.md): the real entry point
`org.neo4j.server.CommunityEntryPoint`, Bolt bound to 127.0.0.1 on an explicit port,
bounded heap (-Xms/-Xmx, which neo4j.conf cannot set when we start the class ourselves)
and page cache, usage reporting off, HTTP off. State (conf, data, logs, pid) lives in one
folder so the test suite can use a throwaway one.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from neo4j import GraphDatabase
from neo4j.exceptions import ServiceUnavailable

ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
JVM_FLAGS = (
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dlog4j2.disable.jmx=true",
)


class ServerError(RuntimeError):
    """A problem starting or stopping the local server, with how to fix it."""


@dataclass(frozen=True)
class ServerState:
    pid: int
    port: int
    home: str
    started_at: float

    @property
    def uri(self) -> str:
        return f"neo4j://127.0.0.1:{self.port}"


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie (exited child not yet reaped) is not alive for our purposes.
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.split(")")[-1].split()[0] != "Z"
    except OSError:
        return True


def java_version(java: str) -> int:
    out = subprocess.run([java, "-version"], capture_output=True, text=True).stderr
    match = re.search(r'version "(\d+)(?:\.(\d+))?', out)
    if not match:
        raise ServerError(f"Could not read the Java version from `{java} -version`: {out.strip()[:200]}")
    major = int(match.group(1))
    return int(match.group(2)) if major == 1 else major


class LocalServer:
    """Start, stop and inspect one local Neo4j server whose state lives in `home`."""

    def __init__(self, home: Path, lib_dir: Path, port: int = 7687, heap: str = "1g",
                 pagecache: str = "256m", java: str | None = None):
        self.home = Path(home)
        self.lib_dir = Path(lib_dir)
        self.port = port
        self.heap = heap
        self.pagecache = pagecache
        self.java = java or (os.path.join(os.environ["JAVA_HOME"], "bin", "java")
                             if os.environ.get("JAVA_HOME") else shutil.which("java"))

    @classmethod
    def from_settings(cls, settings) -> "LocalServer":
        return cls(home=Path(settings.kb_state_dir) / "neo4j", lib_dir=settings.kb_neo4j_lib,
                   port=settings.kb_neo4j_port, heap=settings.kb_neo4j_heap,
                   pagecache=settings.kb_neo4j_pagecache)

    # -- state -------------------------------------------------------------------------
    @property
    def state_file(self) -> Path:
        return self.home / "run" / "server.json"

    @property
    def log_file(self) -> Path:
        return self.home / "logs" / "console.log"

    def state(self) -> ServerState | None:
        """The running server recorded in the state folder, or None (stale records are removed)."""
        try:
            data = json.loads(self.state_file.read_text())
        except (OSError, ValueError):
            return None
        state = ServerState(**data)
        if _pid_alive(state.pid):
            return state
        self.state_file.unlink(missing_ok=True)
        return None

    # -- lifecycle ----------------------------------------------------------------------
    def _check_prerequisites(self) -> None:
        if not self.java:
            raise ServerError("Java was not found. The local Neo4j server needs Java 17 or 21: "
                              "install it (Debian/Ubuntu: `apt-get install openjdk-17-jre-headless`) "
                              "or set JAVA_HOME, or point NEO4J_URI at an existing Neo4j.")
        major = java_version(self.java)
        if major < 17:
            raise ServerError(f"Java {major} found at {self.java}; Neo4j 5.26 needs Java 17 or 21. "
                              "Install a newer JDK or set JAVA_HOME.")
        if not self.lib_dir.is_dir() or not any(self.lib_dir.glob("neo4j-5*.jar")):
            hint = "Run `make setup`" if shutil.which("mvn") else \
                "Install Maven (`apt-get install maven`), then run `make setup`"
            raise ServerError(f"The Neo4j server jars are missing from {self.lib_dir}. {hint} "
                              "(it fetches them from Maven Central as pinned in neo4j/pom.xml).")

    def _write_config(self) -> Path:
        conf_dir = self.home / "conf"
        for sub in ("conf", "data", "logs", "run", "import", "plugins"):
            (self.home / sub).mkdir(parents=True, exist_ok=True)
        (conf_dir / "neo4j.conf").write_text("\n".join([
            "# Written by kb.neo4j_server on every start; edit kb settings instead.",
            "server.default_listen_address=127.0.0.1",
            f"server.bolt.listen_address=127.0.0.1:{self.port}",
            f"server.bolt.advertised_address=127.0.0.1:{self.port}",
            "server.http.enabled=false",
            "server.https.enabled=false",
            f"server.memory.pagecache.size={self.pagecache}",
            "dbms.usage_report.enabled=false",
            # Loopback only, single user: auth off locally. Docker compose turns it on.
            "dbms.security.auth_enabled=false",
            f"server.directories.data={self.home / 'data'}",
            f"server.directories.logs={self.home / 'logs'}",
            f"server.directories.import={self.home / 'import'}",
            f"server.directories.plugins={self.home / 'plugins'}",
            f"server.directories.run={self.home / 'run'}",
            "db.tx_log.rotation.retention_policy=1 files",
            "",
        ]))
        return conf_dir

    def start(self, timeout: float = 180.0) -> ServerState:
        """Start the server, or return the one already running from this state folder."""
        running = self.state()
        if running is not None:
            if running.port == self.port or self.port is None:
                self._wait_for_bolt(running, timeout)
                return running
            raise ServerError(f"A local server from {self.home} already runs on port {running.port} "
                              f"(pid {running.pid}); stop it first (`kb db stop`).")
        self._check_prerequisites()
        if not port_is_free(self.port):
            raise ServerError(f"Port {self.port} on 127.0.0.1 is already taken by another program. "
                              f"Set KB_NEO4J_PORT to a free port (e.g. KB_NEO4J_PORT={free_port()}) "
                              "or stop the program using it.")
        conf_dir = self._write_config()
        cmd = [self.java, f"-Xms{self.heap}", f"-Xmx{self.heap}", *JVM_FLAGS,
               "-cp", f"{self.lib_dir}/*", ENTRY_POINT,
               f"--home-dir={self.home}", f"--config-dir={conf_dir}", "--console-mode"]
        log = open(self.log_file, "ab")
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True, cwd=self.home)
        log.close()
        state = ServerState(pid=proc.pid, port=self.port, home=str(self.home), started_at=time.time())
        self.state_file.write_text(json.dumps(state.__dict__))
        try:
            self._wait_for_bolt(state, timeout, proc)
        except BaseException:
            self._terminate(proc.pid, grace=10)
            self.state_file.unlink(missing_ok=True)
            raise
        return state

    def _wait_for_bolt(self, state: ServerState, timeout: float, proc: subprocess.Popen | None = None) -> None:
        deadline = time.monotonic() + timeout
        driver = GraphDatabase.driver(f"bolt://127.0.0.1:{state.port}", auth=None)
        try:
            while True:
                if proc is not None and proc.poll() is not None:
                    raise ServerError(f"Neo4j exited with code {proc.returncode} during start-up. "
                                      f"Last lines of {self.log_file}:\n{self.tail_log()}")
                try:
                    driver.verify_connectivity()
                    return
                except (ServiceUnavailable, OSError):
                    pass
                except Exception:  # e.g. a transient routing/handshake error while booting
                    pass
                if time.monotonic() > deadline:
                    raise ServerError(f"Neo4j did not answer on 127.0.0.1:{state.port} within {timeout:.0f}s. "
                                      f"See {self.log_file}:\n{self.tail_log()}")
                time.sleep(0.25)
        finally:
            driver.close()

    def tail_log(self, lines: int = 15) -> str:
        try:
            return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    @staticmethod
    def _terminate(pid: int, grace: float) -> None:
        try:
            os.killpg(pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline:
            if not _pid_alive(pid):
                break
            time.sleep(0.2)
        else:
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        try:  # reap if it is our child
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            pass

    def stop(self, grace: float = 60.0) -> bool:
        """SIGTERM, then SIGKILL after `grace` seconds. Returns whether a server was running."""
        state = self.state()
        if state is None:
            return False
        self._terminate(state.pid, grace)
        self.state_file.unlink(missing_ok=True)
        return True

    def kill(self) -> None:
        """Hard kill (crash simulation in tests): SIGKILL with no clean shutdown."""
        state = self.state()
        if state is not None:
            try:
                os.killpg(state.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            deadline = time.monotonic() + 30
            while _pid_alive(state.pid) and time.monotonic() < deadline:
                try:
                    os.waitpid(state.pid, os.WNOHANG)
                except ChildProcessError:
                    pass
                time.sleep(0.1)
            self.state_file.unlink(missing_ok=True)
