"""`kb ui` as bench.pages --browser runs it: the same steps and Streamlit arguments as `kb ui`
(kb/cli/common.py: the server plans the pages' queries, then ui/serve.py imports the app's
modules and serves), plus one bench-only hook: when the file named by --clear-file appears,
the app's data caches (st.cache_data: every page's reads) are emptied and the file removed.

That lets one running app be measured view after view with nothing of the earlier views
cached: the *cold view* of bench.pages (see its docstring). Never used by `kb ui` itself.

    python -m bench.ui_served --port 8501 --clear-file /tmp/x/clear-caches
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from pathlib import Path


def watch(flag: Path) -> None:
    """Empty the data caches whenever `flag` appears (checked every 20 ms), then remove it."""
    import streamlit as st

    def loop():
        while True:
            if flag.exists():
                st.cache_data.clear()
                print(f"bench: data caches cleared at {time.time():.3f}", flush=True)
                flag.unlink()
            time.sleep(0.02)

    threading.Thread(target=loop, name="bench-clear-caches", daemon=True).start()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--address", default="127.0.0.1")
    parser.add_argument("--clear-file", type=Path, required=True)
    args = parser.parse_args(argv)

    from kb.cli import common

    settings = common.cli_settings()
    common.plan_pages(settings, when_empty=False)
    if hasattr(common, "start_warm_up"):  # not in the code before the warm-up existed
        common.start_warm_up(settings)
    print(f"Serving the knowledge base on http://{args.address}:{args.port}", flush=True)
    from ui import serve

    watch(args.clear_file)
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    serve.main(common.streamlit_args(args.port, args.address) if hasattr(common, "streamlit_args")
               else old_arguments(args.port, args.address))


def old_arguments(port: int, address: str) -> list[str]:
    """`kb ui`'s Streamlit arguments before kb.cli.common.streamlit_args existed (to measure the
    code before it with this benchmark)."""
    from kb.resources import ui_app

    return ["run", str(ui_app()), "--server.port", str(port), "--server.address", address, "--server.headless", "true",
            "--browser.gatherUsageStats", "false", "--global.developmentMode", "false", "--client.toolbarMode", "minimal"]


if __name__ == "__main__":
    main(sys.argv[1:])
