"""Uploaded templates are filled in a child process with limits on CPU time and memory.

An agency's template is Jinja code written outside the project. The Jinja sandbox keeps it
away from Python's internals, but not from work: `{% for %}` three million times, or
`{{ 'A' * 50000000 }}`, would hold a web worker for seconds and hundreds of megabytes. So
both the check of an upload (against its sample data) and every rendering of an uploaded
version run in `python -m thidua.documents.sandbox_child`, which limits its own CPU time
(TEMPLATE_RENDER_SECONDS) and address space (TEMPLATE_RENDER_MEMORY_MB) once its imports
are done, gets no environment secrets, and is killed if it outlives the wall-clock timeout.
The built-in templates, which are the project's own code, render in the process.
"""

from __future__ import annotations

import base64
import json
import os
import pickle
import signal
import subprocess
import sys
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# What the child may take beyond its CPU budget in wall-clock time: starting Python and
# importing docxtpl on a loaded machine.
STARTUP_SECONDS = 30
_ENVIRONMENT = ("PATH", "LANG", "LC_ALL", "TMPDIR", "HOME")


class TemplateTooCostly(ValidationError):
    """The template needs more time or memory than an uploaded template may take."""

    def __init__(self, resource: str) -> None:
        self.resource = resource
        if resource == "memory":
            message = _(
                "The template needs more than %(mb)s MB of memory to be filled (a value or a "
                "loop in it is far too large); it is refused."
            ) % {"mb": settings.TEMPLATE_RENDER_MEMORY_MB}
        else:
            message = _(
                "The template takes more than %(seconds)s seconds of work to be filled (a "
                "loop in it runs far too long); it is refused."
            ) % {"seconds": f"{settings.TEMPLATE_RENDER_SECONDS:g}"}
        super().__init__(message, code=f"template-{resource}")


class TemplateFailed(RuntimeError):
    """Filling the template failed in the child; the message is the child's error."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(f"{kind}: {message}")
        self.kind = kind
        self.detail = message


def run(operation: str, args: Mapping[str, Any]) -> dict[str, Any]:
    seconds = float(settings.TEMPLATE_RENDER_SECONDS)
    memory = int(settings.TEMPLATE_RENDER_MEMORY_MB)
    environment = {name: os.environ[name] for name in _ENVIRONMENT if name in os.environ}
    environment["PYTHONPATH"] = str(settings.BASE_DIR)
    try:
        finished = subprocess.run(
            [sys.executable, "-m", "thidua.documents.sandbox_child", str(seconds), str(memory)],
            input=pickle.dumps((operation, dict(args))),
            capture_output=True,
            timeout=seconds + STARTUP_SECONDS,
            env=environment,
            cwd=settings.BASE_DIR,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise TemplateTooCostly("time") from None
    if finished.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        raise TemplateTooCostly("time")
    try:
        answer: dict[str, Any] = json.loads(finished.stdout)
    except ValueError:
        # Killed or crashed without an answer: under the address-space limit that is
        # an allocation the interpreter could not even report.
        raise TemplateTooCostly("memory") from None
    if answer.get("error") == "memory":
        raise TemplateTooCostly("memory")
    if answer.get("error") == "exception":
        raise TemplateFailed(str(answer["type"]), str(answer["message"]))
    return answer


def render(
    content: bytes, context: Mapping[str, Any], images: Mapping[str, bytes] | None, width: float
) -> bytes:
    answer = run(
        "render",
        {
            "content": content,
            "context": dict(context),
            "images": dict(images or {}),
            "image_width_mm": width,
        },
    )
    return base64.b64decode(answer["docx"])


def problems(template: bytes, sample: Mapping[str, Any]) -> list[dict[str, Any]]:
    answer = run("problems", {"template": template, "sample": dict(sample)})
    found: list[dict[str, Any]] = answer["problems"]
    return found
