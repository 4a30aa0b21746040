"""The Neo4j server jars, fetched from a Maven repository without Maven.

neo4j/jars.lock lists every jar of the pinned server: group, artifact, version, classifier,
sha256, size and its path in a Maven repository. It is written from neo4j/pom.xml by a
maintainer's `make lock` (the only step that needs Maven; see `write_lock`).

`fetch` downloads what is missing into a cache (a Maven-layout folder, by default
~/.cache/localinnovation-kb/maven, shared by every clone), in parallel with a progress bar,
resuming a partial file (`<jar>.part`) with an HTTP Range request. Every file is checked
against the lock's sha256 before it is placed in the lib folder the server runs from; a
file that does not match is deleted and refused with a message that names it. The lib
folder records what it verified (`.verified`), so a later start checks sizes and times
only and re-hashes a file only when it changed.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import shutil
import socket
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from kb.resources import jars_lock

LOCK_FILE = jars_lock()
MAVEN_CENTRAL = "https://repo1.maven.org/maven2"
STAMP = ".verified"
CHUNK = 256 * 1024
LOCK_HEADER = (
    "# Every jar of the Neo4j server pinned by neo4j/pom.xml. Written by `make lock`; do not edit.\n"
    "# `kb db fetch` downloads each from Maven Central (or KB_NEO4J_MIRROR) and checks its sha256.\n"
    "# group artifact version classifier sha256 size path\n"
)


class JarError(RuntimeError):
    """A jar could not be fetched or did not match the lock; says which and what to do."""


@dataclass(frozen=True)
class Jar:
    group: str
    artifact: str
    version: str
    classifier: str
    sha256: str
    size: int
    path: str  # in a Maven repository, e.g. org/neo4j/neo4j/5.26.30/neo4j-5.26.30.jar

    @property
    def filename(self) -> str:
        return self.path.rsplit("/", 1)[-1]


@dataclass
class FetchReport:
    downloaded: list[str] = field(default_factory=list)
    downloaded_bytes: int = 0
    refetched: list[str] = field(default_factory=list)  # cached files that failed the check
    lib_dir: Path | None = None
    checked: int = 0


# -- the lock ---------------------------------------------------------------------------
def read_lock(path: Path = LOCK_FILE) -> list[Jar]:
    try:
        text = Path(path).read_text()
    except OSError as exc:
        raise JarError(f"The jar lock {path} cannot be read ({exc.strerror}). "
                       "It ships with kb: in a checkout, restore it with `git checkout neo4j/jars.lock`; "
                       "installed, reinstall kb.") from None
    jars = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split()
        if len(parts) != 7 or len(parts[4]) != 64 or not parts[5].isdigit():
            raise JarError(f"{path}, line {number}: expected 'group artifact version classifier sha256 size path', "
                           f"got {line!r}. Regenerate it with `make lock`.")
        group, artifact, version, classifier, sha256, size, repo_path = parts
        jars.append(Jar(group, artifact, version, "" if classifier == "-" else classifier, sha256.lower(),
                        int(size), repo_path))
    if not jars:
        raise JarError(f"{path} lists no jars. Regenerate it with `make lock`.")
    return jars


def write_lock(repository: Path, path: Path = LOCK_FILE) -> int:
    """Write the lock from a Maven-layout folder of jars (what `mvn dependency:copy-dependencies
    -Dmdep.useRepositoryLayout=true` writes). Returns the number of jars."""
    repository = Path(repository)
    lines, names = [], {}
    for jar_path in sorted(repository.rglob("*.jar")):
        rel = jar_path.relative_to(repository).as_posix()
        *group, artifact, version, filename = rel.split("/")
        stem = f"{artifact}-{version}"
        if not group or not filename.startswith(stem) or not filename.endswith(".jar"):
            raise JarError(f"{rel} is not in Maven repository layout")
        classifier = filename[len(stem):-len(".jar")].lstrip("-")
        if filename in names:
            raise JarError(f"two jars are both named {filename}: {names[filename]} and {rel}")
        names[filename] = rel
        lines.append(" ".join([".".join(group), artifact, version, classifier or "-", _sha256(jar_path),
                               str(jar_path.stat().st_size), rel]))
    if not lines:
        raise JarError(f"no jars under {repository}")
    Path(path).write_text(LOCK_HEADER + "\n".join(lines) + "\n")
    return len(lines)


# -- checks -----------------------------------------------------------------------------
def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def _matches(path: Path, jar: Jar) -> bool:
    try:
        return path.stat().st_size == jar.size and _sha256(path) == jar.sha256
    except OSError:
        return False


def _lock_digest(jars: list[Jar]) -> str:
    return hashlib.sha256("\n".join(f"{j.path} {j.sha256}" for j in jars).encode()).hexdigest()


def _stamp_of(lib_dir: Path) -> dict:
    try:
        return json.loads((lib_dir / STAMP).read_text())
    except (OSError, ValueError):
        return {}


def _file_key(path: Path) -> list[int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ino]


def lib_is_current(lib_dir: Path, jars: list[Jar]) -> bool:
    """Whether the lib folder holds exactly the lock's jars, as verified by the last fetch
    (cheap: sizes, times and inodes against the record; no hashing)."""
    lib_dir = Path(lib_dir)
    stamp = _stamp_of(lib_dir)
    if stamp.get("lock") != _lock_digest(jars):
        return False
    files = stamp.get("files", {})
    if set(files) != {j.filename for j in jars}:
        return False
    if {p.name for p in lib_dir.glob("*.jar")} != set(files):
        return False
    return all(_file_key(lib_dir / name) == key for name, key in files.items())


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "localinnovation-kb" / "maven"


# -- fetching ---------------------------------------------------------------------------
class _Progress:
    """A tqdm bar over bytes, shared by the download threads (or nothing when off)."""

    def __init__(self, total: int, initial: int, enabled: bool):
        self._lock = threading.Lock()
        self.bar = None
        if enabled and total:
            from tqdm import tqdm

            self.bar = tqdm(total=total, initial=initial, unit="B", unit_scale=True, unit_divisor=1024,
                            desc="Neo4j jars", leave=False)

    def add(self, n: int) -> None:
        if self.bar is not None:
            with self._lock:
                self.bar.update(n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


_TRANSIENT = (urllib.error.URLError, http.client.HTTPException, ConnectionError, TimeoutError, socket.timeout)


def _download(jar: Jar, target: Path, mirror: str, progress: _Progress, retries: int, timeout: float) -> int:
    """Download one jar into `target` (via target.part, resumed when it exists) and check
    it. Returns the bytes transferred."""
    url = f"{mirror.rstrip('/')}/{jar.path}"
    part = target.with_name(target.name + ".part")
    target.parent.mkdir(parents=True, exist_ok=True)
    transferred = 0
    fresh_tries = 2  # a resumed file that fails the check is fetched once more from zero
    attempt = 0
    while True:
        offset = part.stat().st_size if part.exists() else 0
        if offset > jar.size:
            part.unlink()
            offset = 0
        try:
            if offset < jar.size:
                request = urllib.request.Request(url, headers={"User-Agent": "localinnovation-kb"})
                if offset:
                    request.add_header("Range", f"bytes={offset}-")
                with urllib.request.urlopen(request, timeout=timeout) as response:
                    if offset and response.status != 206:  # the server ignored Range: start over
                        offset = 0
                    with open(part, "ab" if offset else "wb") as out:
                        while chunk := response.read(CHUNK):
                            out.write(chunk)
                            transferred += len(chunk)
                            progress.add(len(chunk))
                if part.stat().st_size < jar.size:
                    raise http.client.IncompleteRead(b"", jar.size - part.stat().st_size)
        except urllib.error.HTTPError as exc:
            if exc.code == 416 and offset:  # nothing left to send from there: check what we have
                pass
            elif exc.code in (404, 403, 401):
                raise JarError(f"{jar.filename}: {url} answered HTTP {exc.code}. Check that KB_NEO4J_MIRROR "
                               f"({mirror}) is a Maven repository that holds {jar.group}:{jar.artifact}:"
                               f"{jar.version}, or unset it to use Maven Central.") from None
            else:
                attempt += 1
                if attempt > retries:
                    raise JarError(f"{jar.filename}: {url} answered HTTP {exc.code}. Run `kb db fetch` again "
                                   "later; what was downloaded is kept and resumed.") from None
                time.sleep(min(0.2 * 2 ** attempt, 5))
                continue
        except _TRANSIENT as exc:
            attempt += 1
            if attempt > retries:
                kept = part.stat().st_size if part.exists() else 0
                raise JarError(f"{jar.filename}: the download from {url} failed ({exc}); {kept:,} of {jar.size:,} "
                               "bytes are kept in the cache. Run `kb db fetch` again to resume it; if you are "
                               "offline, set KB_NEO4J_MIRROR to a reachable Maven repository.") from None
            time.sleep(min(0.2 * 2 ** attempt, 5))
            continue
        if _matches(part, jar):
            os.replace(part, target)
            return transferred
        got = _sha256(part) if part.exists() else "nothing"
        part.unlink(missing_ok=True)
        fresh_tries -= 1
        if fresh_tries <= 0 or not offset:
            raise JarError(f"{jar.filename} from {url} does not match neo4j/jars.lock (sha256 {got}, expected "
                           f"{jar.sha256}) and was refused and deleted. Run `kb db fetch` again; if it is refused "
                           f"again, the repository ({mirror}) serves a different file: use Maven Central "
                           "(unset KB_NEO4J_MIRROR) or ask its maintainers.")


def fetch(lib_dir: Path, cache_dir: Path | None = None, mirror: str | None = None, lock: Path = LOCK_FILE,
          workers: int = 8, progress: bool = True, retries: int = 3, timeout: float = 60.0) -> FetchReport:
    """Make `lib_dir` hold exactly the lock's jars, each checked (every cached file is
    hashed again); download only what the cache lacks. Raises JarError naming every file that failed (partial files are kept)."""
    jars = read_lock(lock)
    lib_dir = Path(lib_dir)
    cache_dir = Path(cache_dir) if cache_dir else default_cache_dir()
    mirror = mirror or MAVEN_CENTRAL
    report = FetchReport(lib_dir=lib_dir)

    # 1. What the cache (or an older lib folder) already holds, checked.
    missing: list[Jar] = []
    for jar in jars:
        cached = cache_dir / jar.path
        in_lib = lib_dir / jar.filename
        if cached.exists():
            if _matches(cached, jar):
                report.checked += 1
                continue
            cached.unlink()
            report.refetched.append(jar.filename)
        if in_lib.exists() and not in_lib.is_symlink() and _matches(in_lib, jar):
            cached.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(in_lib, cached)  # e.g. jars a Maven-based setup copied earlier
            report.checked += 1
            continue
        missing.append(jar)

    # 2. Download what is missing, in parallel.
    if missing:
        total = sum(j.size for j in missing)
        initial = sum(min((cache_dir / (j.path + ".part")).stat().st_size, j.size)
                      for j in missing if (cache_dir / (j.path + ".part")).exists())
        bar = _Progress(total, initial, progress)
        errors: list[str] = []
        try:
            with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
                futures = {pool.submit(_download, j, cache_dir / j.path, mirror, bar, retries, timeout): j
                           for j in missing}
                for future in as_completed(futures):
                    if future.cancelled():
                        continue
                    try:
                        report.downloaded_bytes += future.result()
                        report.downloaded.append(futures[future].filename)
                    except JarError as exc:
                        errors.append(str(exc))
                        for pending in futures:  # e.g. an unreachable mirror: do not try every jar
                            pending.cancel()
        finally:
            bar.close()
        if errors:
            more = f"\n(and {len(errors) - 10} more)" if len(errors) > 10 else ""
            raise JarError(f"{len(missing) - len(report.downloaded)} of {len(jars)} Neo4j jars could not be fetched "
                           "(what was downloaded is kept):\n"
                           + "\n".join(errors[:10]) + more)
        report.checked += len(missing)

    # 3. Place the checked jars in the lib folder (hard links when possible), drop others.
    lib_dir.mkdir(parents=True, exist_ok=True)
    (lib_dir / STAMP).unlink(missing_ok=True)
    wanted = {j.filename for j in jars}
    for stale in lib_dir.glob("*.jar"):
        if stale.name not in wanted:
            stale.unlink()
    files = {}
    for jar in jars:
        in_lib = lib_dir / jar.filename
        cached = cache_dir / jar.path
        if not (in_lib.exists() and os.path.samefile(in_lib, cached)):
            tmp = in_lib.with_name(in_lib.name + ".tmp")
            tmp.unlink(missing_ok=True)
            try:
                os.link(cached, tmp)
            except OSError:
                shutil.copy2(cached, tmp)
            os.replace(tmp, in_lib)
        files[jar.filename] = _file_key(in_lib)
    (lib_dir / STAMP).write_text(json.dumps({"lock": _lock_digest(jars), "files": files}, indent=0))
    return report


def ensure(lib_dir: Path, cache_dir: Path | None = None, mirror: str | None = None, lock: Path = LOCK_FILE,
           progress: bool = True) -> FetchReport | None:
    """Fetch only when the lib folder is not the lock's verified set. None when it was."""
    if lib_is_current(lib_dir, read_lock(lock)):
        return None
    return fetch(lib_dir, cache_dir=cache_dir, mirror=mirror, lock=lock, progress=progress)


if __name__ == "__main__":  # `make lock`: python -m kb.neo4j_jars lock <maven-layout-folder>
    import sys

    if len(sys.argv) != 3 or sys.argv[1] != "lock":
        sys.exit("usage: python -m kb.neo4j_jars lock <folder in Maven repository layout>")
    count = write_lock(Path(sys.argv[2]))
    print(f"{LOCK_FILE}: {count} jars")
