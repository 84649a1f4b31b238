"""File importers, one module per family of formats; adding a format touches its module and
one line here.

``IMPORTERS`` maps a format name to ``module:Class``; classes are loaded on first use, like
the connectors in :mod:`portaat.listening.connectors`.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

IMPORTERS: dict[str, str] = {
    "facebook": "portaat.listening.importers.facebook:FacebookImporter",
    "csv": "portaat.listening.importers.tabular:CsvImporter",
    "ndjson": "portaat.listening.importers.tabular:NdjsonImporter",
    "4cat": "portaat.listening.importers.fourcat:FourCatImporter",
}


def importer_for(format: str) -> Any:
    """An instance of the importer for ``format``; ``KeyError`` for an unknown format."""
    module_name, class_name = IMPORTERS[format].split(":")
    return getattr(import_module(module_name), class_name)()
