"""Where the files kb ships with, and its local state, are: the one place that knows.

kb runs two ways:

- From a source checkout (a clone, `make setup`'s editable install, the Docker image): the
  folder above the `kb` package holds `pyproject.toml` and `cypher/`. The shipped files are
  the checkout's own top-level folders, and local state goes in the checkout's `.kb/`.
- Installed from the wheel (`pipx install`, `pip install`): the same folders are package
  data inside the package, at `kb/bundled/` (pyproject.toml maps `cypher/`, `data/` and
  `neo4j/jars.lock` there, and ships `ui/` as the `ui` package), found with
  importlib.resources; local state goes in the user's data folder (platformdirs).

`KB_STATE_DIR` overrides the state folder either way (kb/settings.py).
"""

from __future__ import annotations

import importlib.resources
from pathlib import Path

import platformdirs

APP_NAME = "localinnovation-kb"
PACKAGE_PARENT = Path(__file__).resolve().parent.parent


def source_checkout() -> Path | None:
    """The checkout kb runs from (its root folder), or None when kb is installed."""
    if (PACKAGE_PARENT / "pyproject.toml").is_file() and (PACKAGE_PARENT / "cypher").is_dir():
        return PACKAGE_PARENT
    return None


# The project's root when running from a checkout (tests, benchmarks, `make lock`); for an
# installed kb, the folder that holds the package (there is no project root then).
PROJECT_ROOT = source_checkout() or PACKAGE_PARENT


def _installed(*parts: str) -> Path:
    found = importlib.resources.files("kb").joinpath("bundled", *parts)
    if not isinstance(found, Path):  # e.g. a zipped install: the server and Streamlit need real files
        raise RuntimeError(f"kb's package data must be plain files, not {found!r}: install kb unzipped")
    return found


def shipped(*parts: str) -> Path:
    """A file or folder kb ships with, by its path in the checkout ("cypher", "data/casebase")."""
    root = source_checkout()
    return root.joinpath(*parts) if root else _installed(*parts)


def cypher_dir() -> Path:
    """The Cypher statements (cypher/)."""
    return shipped("cypher")


def data_dir() -> Path:
    """The bundled data (data/): the case base, the network study and the templates."""
    return shipped("data")


def jars_lock() -> Path:
    """neo4j/jars.lock: the Neo4j server's jars and their sha256."""
    return shipped("neo4j", "jars.lock")


def ui_app() -> Path:
    """The Streamlit app's script (ui/app.py)."""
    root = source_checkout()
    if root:
        return root / "ui" / "app.py"
    found = importlib.resources.files("ui").joinpath("app.py")
    if not isinstance(found, Path):
        raise RuntimeError(f"kb's UI must be plain files, not {found!r}: install kb unzipped")
    return found


def default_state_dir() -> Path:
    """The local state's folder when KB_STATE_DIR is not set: a checkout's `.kb/`, else the
    user's data folder (~/.local/share/localinnovation-kb on Linux)."""
    root = source_checkout()
    return root / ".kb" if root else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
