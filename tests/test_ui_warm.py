"""The pages' warm-up (ui/warm.py): `kb ui` runs each reading page once in a background
process right after it starts, so a page's first visitor does not wait for the server's first
run of its queries. Against the real test Neo4j holding the analysed case base."""

from __future__ import annotations

import subprocess
import sys

from kb.services import queries
from kb.settings import PROJECT_ROOT, load_settings
from tests.test_ui_apptest import analysed, ui_env  # noqa: F401 (fixtures)
from ui import warm


def test_the_warm_up_runs_every_reading_page_once_and_writes_nothing(analysed, ui_env):  # noqa: F811
    before = queries.read(analysed, "ui/data-version")[0]
    report = warm.warm_up(analysed)
    assert report.failed == {} and report.skipped == []
    # Every page of the sidebar a viewer has, and the views people open with parameters.
    assert {*warm.PAGE} - {"record"} <= set(report.ran)
    assert {"transfer for a locality", "transfer for one innovation", "layers for a locality", "innovation detail",
            "record history", "network around an actor", "innovations: a search"} <= set(report.ran)
    assert queries.read(analysed, "ui/data-version")[0] == before  # reads only
    assert report.line().startswith(f"Warmed up the pages: {len(report.ran)} views ran once in ")


def test_the_examples_are_from_the_data(analysed):  # noqa: F811
    examples = {label: params for label, _page, params in warm.views(analysed)}
    locality = examples["transfer for a locality"]["locality"]
    assert examples["transfer for one innovation"]["locality"] == locality
    assert examples["network around an actor"]["actor"]
    rows = queries.read(analysed, "ui/warm-up-examples")[0]
    assert (rows["locality"], rows["innovation"]) == (locality, examples["innovation detail"]["innovation"])


def test_a_view_that_fails_is_named_and_the_others_still_run(analysed, ui_env, monkeypatch):  # noqa: F811
    monkeypatch.setattr(warm, "PAGE", {**warm.PAGE, "missing": "views/no-such-page.py"})
    report = warm.warm_up(analysed)
    assert list(report.failed) == ["missing"] and report.failed["missing"]
    assert "overview" in report.ran and "glossary" in report.ran
    assert "failed: missing (" in report.line()


def test_it_stops_when_the_app_it_warms_has_stopped(analysed, ui_env):  # noqa: F811
    report = warm.warm_up(analysed, still_wanted=lambda: False)
    assert report.ran == [] and len(report.skipped) == len(warm.views(analysed))


def test_python_m_ui_warm_prints_one_line_and_never_a_traceback(analysed, cli_env):  # noqa: F811
    done = subprocess.run([sys.executable, "-m", "ui.warm"], env=cli_env, cwd=PROJECT_ROOT, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Warmed up the pages: ") and "failed" not in lines[0], done.stdout
    assert "Traceback" not in done.stderr and "missing ScriptRunContext" not in done.stdout + done.stderr
    refused = subprocess.run([sys.executable, "-m", "ui.warm"], env={**cli_env, "NEO4J_PASSWORD": "wrong-password"},
                             cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300)
    assert refused.returncode == 0
    assert refused.stdout.startswith("Warm-up of the pages skipped: ") and "Traceback" not in refused.stderr


def test_kb_ui_starts_it_unless_turned_off(tmp_path):
    from kb.cli.common import start_warm_up

    assert start_warm_up(load_settings(env_file=None, environ={"KB_UI_WARM_UP": "false"})) is None
    assert load_settings(env_file=None, environ={}).kb_ui_warm_up is True
