"""Fetching the Neo4j jars without Maven (kb/neo4j_jars.py), against a tiny Maven repository
served from 127.0.0.1 by this test: checked against the lock, refused when tampered,
resumed after an interruption, never fetched twice. No test here touches the network."""

from __future__ import annotations

import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from kb.neo4j_jars import JarError, fetch, lib_is_current, read_lock, write_lock
from kb.neo4j_server import free_port
from tests.conftest import run_kb

ALPHA = "org/example/alpha/1.0/alpha-1.0.jar"
BETA = "org/example/beta-tools/2.1/beta-tools-2.1-linux-x86_64.jar"


class FakeRepository:
    """A Maven repository over HTTP with Range support, that can serve a tampered file or
    drop the connection half-way through one."""

    def __init__(self, files: dict[str, bytes]):
        self.files = dict(files)
        self.tampered: dict[str, bytes] = {}
        self.drop: dict[str, int] = {}  # path -> how many more requests to cut half-way
        self.requests: list[tuple[str, str | None]] = []
        repo = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                rel = self.path.lstrip("/")
                repo.requests.append((rel, self.headers.get("Range")))
                data = repo.tampered.get(rel, repo.files.get(rel))
                if data is None:
                    self.send_error(404)
                    return
                start = 0
                if self.headers.get("Range"):
                    start = int(self.headers["Range"].removeprefix("bytes=").rstrip("-"))
                    self.send_response(206)
                    self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
                else:
                    self.send_response(200)
                body = data[start:]
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if repo.drop.get(rel):
                    repo.drop[rel] -= 1
                    self.wfile.write(body[: len(body) // 3])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/maven2"
        # the repository lives under /maven2/, as on a company mirror
        self.files = {f"maven2/{k}": v for k, v in self.files.items()}
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def fetched(self, path: str) -> list[str | None]:
        """The Range headers of the requests for `path` (None: from the start)."""
        return [rng for rel, rng in self.requests if rel == f"maven2/{path}"]


@pytest.fixture
def repo(tmp_path):
    alpha = os.urandom(600_000)
    beta = os.urandom(50_000)
    layout = tmp_path / "layout"
    for path, data in ((ALPHA, alpha), (BETA, beta)):
        (layout / path).parent.mkdir(parents=True, exist_ok=True)
        (layout / path).write_bytes(data)
    lock = tmp_path / "jars.lock"
    assert write_lock(layout, lock) == 2  # as `make lock` writes it from Maven's output
    server = FakeRepository({ALPHA: alpha, BETA: beta})
    server.thread.start()
    server.lock = lock
    server.alpha, server.beta = alpha, beta
    yield server
    server.server.shutdown()
    server.server.server_close()


def _fetch(repo, tmp_path, **kw):
    return fetch(tmp_path / "lib", cache_dir=tmp_path / "cache", mirror=repo.url, lock=repo.lock,
                 progress=False, **kw)


def _flip_one_byte(path: Path, at: int = 1000) -> None:
    data = bytearray(path.read_bytes())
    data[at] ^= 0x01
    path.write_bytes(bytes(data))


def test_the_lock_lists_coordinates_checksum_size_and_maven_path(repo):
    jars = {j.path: j for j in read_lock(repo.lock)}
    beta = jars[BETA]
    assert (beta.group, beta.artifact, beta.version, beta.classifier) == \
        ("org.example", "beta-tools", "2.1", "linux-x86_64")
    assert beta.size == 50_000 and len(beta.sha256) == 64 and beta.filename == "beta-tools-2.1-linux-x86_64.jar"


def test_the_project_lock_pins_the_server_of_the_pom():
    jars = read_lock()
    assert {j.filename for j in jars} >= {"neo4j-5.26.30.jar", "neo4j-command-line-5.26.30.jar",
                                         "neo4j-bolt-5.26.30.jar"}
    assert len({j.filename for j in jars}) == len(jars)


def test_fetch_places_checked_jars_and_a_second_fetch_downloads_nothing(repo, tmp_path):
    report = _fetch(repo, tmp_path)
    assert sorted(report.downloaded) == ["alpha-1.0.jar", "beta-tools-2.1-linux-x86_64.jar"]
    assert (tmp_path / "lib" / "alpha-1.0.jar").read_bytes() == repo.alpha
    assert (tmp_path / "lib" / "beta-tools-2.1-linux-x86_64.jar").read_bytes() == repo.beta
    assert lib_is_current(tmp_path / "lib", read_lock(repo.lock))
    requests = len(repo.requests)

    again = _fetch(repo, tmp_path)
    assert again.downloaded == [] and again.downloaded_bytes == 0 and again.checked == 2
    assert len(repo.requests) == requests  # from the cache, never fetched twice

    # a second clone (another lib folder) shares the cache
    fetch(tmp_path / "lib2", cache_dir=tmp_path / "cache", mirror=repo.url, lock=repo.lock, progress=False)
    assert len(repo.requests) == requests
    assert (tmp_path / "lib2" / "alpha-1.0.jar").read_bytes() == repo.alpha


def test_a_tampered_download_is_refused_with_the_file_named(repo, tmp_path):
    bad = bytearray(repo.alpha)
    bad[1234] ^= 0xFF  # one byte changed
    repo.tampered[f"maven2/{ALPHA}"] = bytes(bad)
    with pytest.raises(JarError) as refused:
        _fetch(repo, tmp_path)
    message = str(refused.value)
    assert "alpha-1.0.jar" in message and "does not match neo4j/jars.lock" in message
    assert "kb db fetch" in message and "KB_NEO4J_MIRROR" in message
    assert not (tmp_path / "lib" / "alpha-1.0.jar").exists()
    assert not list((tmp_path / "cache").rglob("alpha-1.0.jar*"))  # nothing tampered kept
    assert not lib_is_current(tmp_path / "lib", read_lock(repo.lock))

    del repo.tampered[f"maven2/{ALPHA}"]  # the repository is mended: fetched again, accepted
    report = _fetch(repo, tmp_path)
    assert report.downloaded == ["alpha-1.0.jar"]
    assert (tmp_path / "lib" / "alpha-1.0.jar").read_bytes() == repo.alpha


def test_a_tampered_jar_in_place_is_refused_and_fetched_again(repo, tmp_path):
    _fetch(repo, tmp_path)
    before = len(repo.fetched(ALPHA))
    _flip_one_byte(tmp_path / "lib" / "alpha-1.0.jar")
    assert not lib_is_current(tmp_path / "lib", read_lock(repo.lock))  # the next start re-checks

    report = _fetch(repo, tmp_path)
    assert report.refetched == ["alpha-1.0.jar"] and report.downloaded == ["alpha-1.0.jar"]
    assert len(repo.fetched(ALPHA)) == before + 1 and not repo.fetched(BETA)[1:]
    assert (tmp_path / "lib" / "alpha-1.0.jar").read_bytes() == repo.alpha
    assert lib_is_current(tmp_path / "lib", read_lock(repo.lock))


def test_an_interrupted_fetch_keeps_the_part_and_resumes_it_with_a_range_request(repo, tmp_path):
    repo.drop[f"maven2/{ALPHA}"] = 1
    with pytest.raises(JarError) as failed:
        _fetch(repo, tmp_path, retries=0)
    assert "alpha-1.0.jar" in str(failed.value) and "kb db fetch" in str(failed.value)
    part = tmp_path / "cache" / (ALPHA + ".part")
    kept = part.stat().st_size
    assert 0 < kept < len(repo.alpha)

    report = _fetch(repo, tmp_path)
    assert repo.fetched(ALPHA) == [None, f"bytes={kept}-"]
    assert report.downloaded_bytes == len(repo.alpha) - kept  # only the rest
    assert (tmp_path / "lib" / "alpha-1.0.jar").read_bytes() == repo.alpha
    assert not part.exists()


def test_a_dropped_connection_is_resumed_within_one_fetch(repo, tmp_path):
    repo.drop[f"maven2/{ALPHA}"] = 2
    _fetch(repo, tmp_path, retries=3)
    ranges = repo.fetched(ALPHA)
    assert ranges[0] is None and len(ranges) == 3 and all(r.startswith("bytes=") for r in ranges[1:])
    assert (tmp_path / "lib" / "alpha-1.0.jar").read_bytes() == repo.alpha


def test_kb_db_fetch_with_an_unreachable_mirror_says_what_to_do(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "KB_"))}
    env.update(KB_NEO4J_MIRROR=f"http://127.0.0.1:{free_port()}/maven2", KB_NEO4J_LIB=str(tmp_path / "lib"),
               KB_NEO4J_CACHE=str(tmp_path / "cache"), KB_STATE_DIR=str(tmp_path / "state"))
    result = run_kb(["db", "fetch", "--no-progress"], env, cwd=tmp_path, timeout=300)
    assert result.returncode == 1
    assert "could not be fetched" in result.stderr and ".jar" in result.stderr
    assert "kb db fetch" in result.stderr and "KB_NEO4J_MIRROR" in result.stderr
    assert "Traceback" not in result.stderr
