"""The map of localities (Overview): each locality with a latitude and longitude drawn as a
point, synthetic ones marked; a plain statement of how many have no coordinates, and which.

By default the map is an offline drawing (an Altair scatter of longitude against latitude,
drawn in the browser from Streamlit's bundled Vega: no tiles, no network). With
KB_UI_MAP_TILES=true it is st.map on fetched map tiles instead, with the same points below
as a table. Coordinates come only from the data (docs/casebase-format.md, localities'
latitude and longitude); none are invented for real places.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from kb.settings import Settings
from ui import common as ui
from ui import provenance

COLUMNS = ["name", "latitude", "longitude", "country", "synthetic"]


def located(rows: list[dict]) -> tuple[list[dict], list[dict]]:
    """The localities with both coordinates, and those without."""
    with_point = [r for r in rows if r.get("latitude") is not None and r.get("longitude") is not None]
    return with_point, [r for r in rows if r not in with_point]


def label(row: dict) -> str:
    return row["name"] + (f" ({provenance.BADGE})" if row.get("synthetic") else "")


def drawing(points: list[dict]) -> alt.LayerChart:
    """Longitude across, latitude up, a label beside each point; synthetic points hollow
    diamonds in orange, sourced ones filled circles (the legend says which)."""
    df = pd.DataFrame([{"locality": label(r), "latitude": float(r["latitude"]), "longitude": float(r["longitude"]),
                        "provenance": provenance.BADGE if r.get("synthetic") else provenance.SOURCED}
                       for r in points])
    pad = 1.0
    x = alt.X("longitude:Q", title="longitude (°)",
              scale=alt.Scale(domain=[df.longitude.min() - pad, df.longitude.max() + pad]))
    y = alt.Y("latitude:Q", title="latitude (°)",
              scale=alt.Scale(domain=[df.latitude.min() - pad, df.latitude.max() + pad]))
    kinds = [provenance.SOURCED, provenance.BADGE]
    base = alt.Chart(df).encode(x=x, y=y, tooltip=["locality", "latitude", "longitude", "provenance"])
    dots = base.mark_point(size=120, filled=True).encode(
        color=alt.Color("provenance:N", scale=alt.Scale(domain=kinds, range=["#1f77b4", "#ff7f0e"]),
                        title="data"),
        shape=alt.Shape("provenance:N", scale=alt.Scale(domain=kinds, range=["circle", "diamond"]), title="data"))
    names = base.mark_text(align="left", dx=8, dy=-6, fontSize=12).encode(text="locality:N")
    return (dots + names).properties(height=420, title="Localities by longitude and latitude (no map tiles)")


def show(settings: Settings, rows: list[dict]) -> None:
    st.subheader("Map of localities")
    points, missing = located(rows)
    if points:
        if bool(getattr(settings, "kb_ui_map_tiles", False)):
            st.map(pd.DataFrame([{"lat": float(r["latitude"]), "lon": float(r["longitude"]),
                                  "color": "#ff7f0e" if r.get("synthetic") else "#1f77b4"} for r in points]),
                   latitude="lat", longitude="lon", color="color")
            st.caption("Map tiles are fetched from the internet (KB_UI_MAP_TILES=true); orange points are "
                       f"{provenance.BADGE}. Without a network, set KB_UI_MAP_TILES=false for the offline drawing.")
        else:
            st.altair_chart(drawing(points), width="stretch")
            st.caption("An offline drawing: no map tiles are fetched (KB_UI_MAP_TILES=true shows the localities "
                       f"on map tiles). Orange diamonds are {provenance.BADGE} (illustrative, invented) localities.")
        ui.table(COLUMNS, points, key="map_points", stem="localities-on-the-map")
    else:
        st.caption("No locality has coordinates yet, so there is nothing to draw.")
    if missing:
        st.info(f"{len(missing)} of {len(rows)} localities have no coordinates and are not on the map: "
                + "; ".join(label(r) for r in missing) + ". The sources give none for the bundled places; add a "
                "latitude and longitude to a locality (localities.csv, or its record page) to draw it.",
                icon=":material/location_off:")
