"""Localities' optional coordinates (latitude, longitude): validated with located errors,
exported and loaded back unchanged; and the Overview's map of localities, offline by
default, saying which localities have no coordinates."""

from __future__ import annotations

import csv

import pytest

from kb.store.exporter import export_kb
from loaders import LoadRefused
from tests.test_loaders_formats import INTERNAL, load, node, wipe, write_csv
from tests.test_ui_apptest import casebase, open_app, scratch_casebase, table_text, texts, ui_env  # noqa: F401
from tests.test_ui_apptest import load as load_into

HEADER = ["id", "name", "country", "latitude", "longitude", "synthetic"]


@pytest.mark.parametrize("lat, lon, column, words", [
    ("95", "1.5", "latitude", "a latitude of 95 is outside -90 to 90"),
    ("50", "-181", "longitude", "a longitude of -181 is outside -180 to 180"),
    ("50", "", "longitude", "needs a longitude too"),
    ("north", "1", "latitude", "number"),
])
def test_bad_coordinates_are_refused_with_where_and_what(kb, test_settings, tmp_path, lat, lon, column, words):
    path = write_csv(tmp_path / "localities.csv", HEADER, [["testville", "Testville", "UK", lat, lon, "true"]])
    with pytest.raises(LoadRefused) as refused:
        load(kb, test_settings, path)
    problems = [p for p in refused.value.problems if p.column == column]
    assert problems, refused.value.problems
    assert problems[0].file.endswith("localities.csv") and problems[0].row == 2
    assert words in problems[0].message
    assert kb.read("MATCH (l:Locality {id: 'testville'}) RETURN l") == []  # nothing written


def test_coordinates_load_and_round_trip_through_export(kb, test_settings, tmp_path):
    wipe(kb)
    path = write_csv(tmp_path / "in" / "localities.csv", HEADER,
                     [["testville", "Testville", "UK", "53.41", "-2.85", "true"],
                      ["nowhere", "Nowhere", "UK", "", "", "true"]])
    load(kb, test_settings, path)
    assert node(kb, "Locality", "testville")["latitude"] == pytest.approx(53.41)
    assert "latitude" not in node(kb, "Locality", "nowhere")
    export_kb(kb, tmp_path / "out", graphml=False)
    with open(tmp_path / "out" / "localities.csv", newline="", encoding="utf-8") as handle:
        rows = {r["id"]: r for r in csv.DictReader(handle)}
    assert (rows["testville"]["latitude"], rows["testville"]["longitude"]) == ("53.41", "-2.85")
    assert (rows["nowhere"]["latitude"], rows["nowhere"]["longitude"]) == ("", "")
    def content(): return {k: v for k, v in node(kb, "Locality", "testville").items() if k not in INTERNAL}
    before = content()
    wipe(kb)
    load(kb, test_settings, tmp_path / "out" / "localities.csv")
    assert content() == before and before["longitude"] == pytest.approx(-2.85)


def test_overview_says_no_bundled_locality_has_coordinates(casebase, ui_env):
    at = open_app()
    shown = texts(at)
    assert "No locality has coordinates yet" in shown
    assert "9 of 9 localities have no coordinates" in shown
    assert "Knowsley" in shown.split("have no coordinates", 1)[1]
    assert "KB_UI_MAP_TILES" not in shown or "no map tiles" in shown


def test_overview_draws_located_localities_offline_and_marks_synthetic(scratch_casebase, ui_env, tmp_path):
    path = write_csv(tmp_path / "localities.csv", HEADER,
                     [["testville", "Testville", "UK", "53.41", "-2.85", "true"]])
    load_into(scratch_casebase, path)
    at = open_app()
    shown = texts(at)
    assert "An offline drawing: no map tiles are fetched" in shown
    assert "9 of 10 localities have no coordinates" in shown
    assert "Testville (⚗ synthetic)" not in shown.split("have no coordinates", 1)[1]
    charts = at.get("vega_lite_chart")
    assert len(charts) == 1  # the offline drawing, its points in its (Arrow) data
    assert "Testville (⚗ synthetic)".encode() in b"".join(d.data.data for d in charts[0].proto.datasets)
    assert "Testville" in table_text(at) and "53.41" in table_text(at)


def test_tiles_only_when_the_setting_allows(scratch_casebase, ui_env, tmp_path):
    load_into(scratch_casebase, write_csv(tmp_path / "localities.csv", HEADER,
                                          [["testville", "Testville", "UK", "53.41", "-2.85", "true"]]))
    ui_env.setenv("KB_UI_MAP_TILES", "true")
    at = open_app()
    assert "Map tiles are fetched from the internet (KB_UI_MAP_TILES=true)" in texts(at)
    assert not at.get("vega_lite_chart") and at.get("deck_gl_json_chart")
