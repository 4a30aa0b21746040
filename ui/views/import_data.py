"""Import: upload files, see the same validation report as `kb load --dry-run`, then load
them as `kb load` does (kb.services.loading.load_files: people pseudonymised when
KB_PSEUDONYMISE is on; one transaction, or staged above KB_LOAD_TRANSACTION_ROWS rows).
Present for signed-in admins (ui/auth.py); and, the older way, for everyone when
KB_UI_ALLOW_WRITES is true and KB_UI_PASSWORD is set: then the password is asked for first
(admins are not asked)."""

import re
import shutil
import tempfile
from pathlib import Path

import streamlit as st
from neo4j.exceptions import DriverError, Neo4jError

from kb.services.loading import DATA_SUFFIXES, FORMATS, LoadError, LoadProblems, load_files
from ui import auth
from ui import common as ui

settings = ui.settings()
st.title("Import")
user = auth.writes_gate(settings, "admin", "imp", "Importing files needs the admin role: sign in as an admin.")
admin = user is not None

st.markdown("Files in the formats of `kb load`: CSV tables or Excel sheets (docs/casebase-format.md), survey "
            "edge lists, Kumu exports, JSON/YAML documents, GraphML and GEXF. Everything is validated first; "
            "a load is written in one transaction, all of it or nothing (a load of more than "
            f"{settings.kb_load_transaction_rows:,} rows is staged: committed in chunks, and loading the same "
            "files again completes it if it stops)."
            + (" People are pseudonymised (KB_PSEUDONYMISE): their ids and names are replaced by keyed "
               "pseudonyms and their roles and notes are dropped." if settings.kb_pseudonymise else ""))
c1, c2 = st.columns(2)
fmt = c1.selectbox("Format", ["", *FORMATS], format_func=lambda f: f or "detect from each file", key="imp_format")
network = c2.selectbox("Network type for GraphML/GEXF edges that name none", list(settings.kb_network_types),
                       key="imp_network")
files = st.file_uploader("Files", accept_multiple_files=True, key="imp_files",
                         type=sorted(s.lstrip(".") for s in DATA_SUFFIXES))


def safe_name(name: str, taken: set[str]) -> str:
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(name).name).lstrip(".") or "upload"
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{Path(base).stem}-{n}{Path(base).suffix}"
    taken.add(candidate)
    return candidate


def save_uploads(folder: Path) -> None:
    taken: set[str] = set()
    for f in files:
        (folder / safe_name(f.name, taken)).write_bytes(f.getvalue())


def load(folder: Path, dry_run: bool):
    # Recorded in the history as a change by the signed-in admin (the shared-password way: "ui-import").
    return load_files(settings, ui.get_kb(settings), [folder], fmt=fmt or None, default_network=network,
                      dry_run=dry_run, progress=False, user=user.name if admin else "ui-import")


def report(problems, folder: Path) -> None:
    prefix = str(folder) + "/"
    rows = [{"file": Path(p.file).name if p.file else "", "row": p.row, "column": p.column,
             "problem": ui.scrub(str(p.message).replace(prefix, ""), settings)} for p in problems]
    st.error(f"Load refused: {len(problems)} problem(s); nothing was written.", icon=":material/block:")
    ui.table(["file", "row", "column", "problem"], rows, key="imp_problems", stem="load-problems")


if files:
    folder = Path(tempfile.mkdtemp(prefix="kb-upload-"))
    try:
        save_uploads(folder)
        try:
            checked = load(folder, dry_run=True)
        except LoadProblems as exc:
            report(exc.problems, folder)
            ui.end_page()
        st.success(checked.would_load(), icon=":material/task_alt:")
        if st.button("Load into the knowledge base", type="primary", key="imp_load", icon=":material/upload:"):
            result = load(folder, dry_run=False)
            st.cache_data.clear()
            rows = [{"table": name, **c} for name, c in result.summary.counts.items()]
            st.success(result.loaded(), icon=":material/check:")
            for done in result.completed:
                st.info(f"This completes the interrupted load {done}.", icon=":material/info:")
            if result.pseudonymised:
                st.caption(f"{result.pseudonymised} people were pseudonymised.")
            ui.table(["table", "created", "updated", "unchanged"], rows, key="imp_summary", stem="load-summary")
    except LoadError as exc:
        st.error(ui.scrub(str(exc).replace(str(folder) + "/", ""), settings))
    except (Neo4jError, DriverError) as exc:
        ui.show_error(exc, "The load")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
else:
    st.caption("Choose one or more files to validate them.")
