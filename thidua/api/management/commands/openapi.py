"""`manage.py openapi` writes the API's contract to docs/openapi.json; `--check` (in
`./run lint`) fails when the code and the committed contract differ."""

from __future__ import annotations

import difflib
import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

CONTRACT = Path(settings.BASE_DIR) / "docs" / "openapi.json"


def contract_text() -> str:
    from thidua.api.api import api

    with translation.override(settings.LANGUAGE_CODE):
        schema = api.get_openapi_schema()
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


class Command(BaseCommand):
    help = "Write the API's OpenAPI document to docs/openapi.json, or --check it."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--check", action="store_true", help="fail if the file differs")

    def handle(self, *args: Any, check: bool = False, **options: Any) -> None:
        text = contract_text()
        if not check:
            CONTRACT.write_text(text, encoding="utf-8")
            self.stdout.write(f"wrote {CONTRACT.relative_to(settings.BASE_DIR)}")
            return
        committed = CONTRACT.read_text(encoding="utf-8") if CONTRACT.exists() else ""
        if committed != text:
            diff = difflib.unified_diff(
                committed.splitlines(),
                text.splitlines(),
                "docs/openapi.json (committed)",
                "docs/openapi.json (from the code)",
                lineterm="",
                n=2,
            )
            self.stderr.write("\n".join(list(diff)[:80]))
            raise CommandError(
                "The API's contract differs from docs/openapi.json: run "
                "`.venv/bin/python manage.py openapi` and commit the file."
            )
        self.stdout.write("docs/openapi.json matches the code")
