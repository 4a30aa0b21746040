"""Exporting the knowledge base as the CSV tables of docs/casebase-format.md (and GraphML)."""

from __future__ import annotations

from pathlib import Path

from kb.services import InputError, ServiceError
from kb.settings import Settings
from kb.store.connection import KnowledgeBase
from kb.store.exporter import GRAPHML_FILE, ExportResult, export_kb


class ExportError(ServiceError):
    """Nothing (or not everything) could be written."""


class ExportInputError(ExportError, InputError):
    """The target is not a folder."""


def export(settings: Settings, kb: KnowledgeBase, out_dir: Path | str, *, graphml: bool = True) -> ExportResult:
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise ExportInputError(f"{out_dir} exists and is not a folder.")
    try:
        return export_kb(kb, out_dir, graphml=graphml)
    except OSError as exc:
        raise ExportError(f"Cannot write to {out_dir}: {exc.strerror or exc}") from None


__all__ = ["ExportError", "ExportInputError", "ExportResult", "GRAPHML_FILE", "export"]
