"""Fail when the Vietnamese catalogue is incomplete.

Re-extracts every translatable string from the code and templates (makemessages), then
reports each entry that is untranslated or fuzzy, with where it is used.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "thidua" / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def main() -> int:
    # Run from the package so makemessages never walks .venv or node_modules.
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "manage.py"),
            "makemessages",
            "-l",
            "vi",
            "-v0",
            "--add-location",
            "file",
        ],
        cwd=ROOT / "thidua",
        check=True,
    )
    catalogue = polib.pofile(str(CATALOGUE))
    problems = [
        entry
        for entry in catalogue
        if not entry.obsolete and (not entry.translated() or "fuzzy" in entry.flags)
    ]
    for entry in problems:
        where = ", ".join(path for path, _line in entry.occurrences[:2])
        state = "fuzzy" if "fuzzy" in entry.flags else "untranslated"
        print(f"{state}: {entry.msgid!r} ({where})")
    if problems:
        print(f"{len(problems)} Vietnamese entries missing of {len(catalogue)}.")
        return 1
    print(f"Vietnamese catalogue complete: {len(catalogue)} entries.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
