"""Where a dossier's files are stored: the proposal-files area of thidua.lib.files,
content-addressed."""

from __future__ import annotations

from thidua.lib import files
from thidua.lib.files import Area
from thidua.reports import evidence

from .models import DossierFile


def store_file(checked: evidence.Checked, data: bytes) -> str:
    return files.keep(Area.PROPOSAL_FILES, data, checked.kind).name


def read_file(item: DossierFile) -> bytes:
    return files.read(Area.PROPOSAL_FILES, item.path)
