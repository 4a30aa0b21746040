"""The process `kb ui` (and `kb demo`) serve the app from: it imports the app's modules first
(the services, pandas, altair, pyvis: seconds on a busy machine), then runs Streamlit in this
same process, so the first visitor's page does not wait for Python to import them.

What it imported is then moved out of the garbage collector's sight (gc.freeze): Streamlit
runs a full collection after every run of a page (runner.postScriptGC), which otherwise walks
every object of pandas, altair, pyvis and the driver each time (0.2-0.7 s per run on a busy
2-core machine; microseconds after the freeze). Objects made later are collected as before.

    python -m ui.serve run ui/app.py --server.port 8501 ...   (what `kb ui` runs; any `streamlit` arguments)
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

SKIP = {"app", "serve"}  # the app's script runs in each session; this module is the launcher
# Imported inside functions the pages call, so neither of the above finds them: igraph by the
# introduction paths (kb.analytics.paths; 0.1 s on the Transfer finder's first view), pyarrow's
# pandas conversion and Streamlit's data frame adapters by the first table of a kind.
ALSO = ["igraph", "pyarrow.pandas_compat", "streamlit.dataframe.lazy_df_adapters"]


def preload() -> list[str]:
    """Import every module of the ui package, every module the pages (scripts, not imported
    themselves) import, and ALSO; the names of the modules imported."""
    import logging

    import streamlit.runtime.caching.cache_data_api  # noqa: F401 (its logger exists from here on)

    import ui

    names = [f"ui.{m.name}" for m in pkgutil.iter_modules(ui.__path__) if not m.ispkg and m.name not in SKIP]
    names += [n for n in [*page_imports(), *ALSO] if n not in names]
    quiet = logging.getLogger("streamlit.runtime.caching.cache_data_api")  # "No runtime found": none is needed to import
    level, quiet.level = quiet.level, logging.ERROR
    try:
        done = []
        for name in names:
            try:
                importlib.import_module(name)
            except ImportError:  # "from package import name" where name is not a module
                continue
            done.append(name)
    finally:
        quiet.setLevel(level)
    return done


def page_imports() -> list[str]:
    """What the pages' scripts (ui/views/*.py) import, module by module: `import a.b`, and for
    `from a import b` both `a` and `a.b` (b may be a module). The pages import them on their
    first run otherwise (kb.services.find alone brought in 100 modules, 0.1 s, on the Transfer
    finder's first view)."""
    import ast
    from pathlib import Path

    found: list[str] = []
    for script in sorted((Path(__file__).parent / "views").glob("*.py")):
        for node in ast.walk(ast.parse(script.read_text())):
            if isinstance(node, ast.Import):
                found += [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                found += [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
    return list(dict.fromkeys(n for n in found if n != "__future__"))


def exercise() -> None:
    """Draw one tiny network picture: pyvis's page template includes vis-network's 470 kB
    script as a template of its own, which jinja compiles on the first picture a process draws
    (0.07 s on an idle machine, several times that on a busy one), not at import."""
    from ui import network_picture

    picture = network_picture.Picture()
    picture.node("a", "a")
    network_picture.to_html(picture)


def freeze() -> None:
    """Collect once, then keep everything alive now (the imported modules) out of later
    collections."""
    import gc

    import streamlit.web.bootstrap  # noqa: F401 (Streamlit's server and runtime, imported at start anyway)
    import streamlit.runtime.scriptrunner  # noqa: F401

    gc.collect()
    gc.freeze()


def main(argv: list[str]) -> None:
    preload()
    exercise()
    freeze()
    from streamlit.web import cli

    sys.argv = ["streamlit", *argv]
    cli.main()


if __name__ == "__main__":
    main(sys.argv[1:])
