"""Uploaded templates are filled in a child process with limits on time and memory: a
template that loops for millions of steps or builds a value of fifty million characters is
refused with a message saying so, quickly, and the web process never pays for it."""

from __future__ import annotations

import resource
import time
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from tests.documents.factories import make_issuer
from tests.documents.test_template_versions import KEY, NUMBER_TAG, edited
from tests.org.factories import make_admin
from tests.org.helpers import nothing_written, text
from thidua.documents import template_versions as tv
from thidua.documents.models import TemplateVersion
from thidua.documents.rendering import render_docx, sample_images
from thidua.documents.sandbox import STARTUP_SECONDS, TemplateTooCostly

LOOP = "{% for i in range(3000) %}{% for j in range(1000) %}{{ j }}{% endfor %}{% endfor %}"
HUGE = "{{ 'A' * 50000000 }}"


@pytest.fixture
def issuer(db: Any) -> Any:
    return make_issuer(symbol="STP", printed_name="SỞ TƯ PHÁP TỈNH HẬU GIANG")


def refused(issuer: Any, data: bytes) -> str:
    with nothing_written(), pytest.raises(ValidationError) as caught:
        tv.template_upload(
            actor=make_admin(), issuer=issuer, key=KEY, data=data, original_name="x.docx", note=""
        )
    assert not TemplateVersion.objects.filter(issuer=issuer).exists()
    return text(caught.value)


def _own_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_a_loop_of_three_million_steps_is_refused_for_its_time(issuer, settings):
    settings.TEMPLATE_RENDER_SECONDS = 2
    started = time.monotonic()

    message = refused(issuer, edited(NUMBER_TAG, f"Số: {LOOP}"))

    # Its output grows too: whichever limit it reaches first refuses it, saying which.
    assert "takes more than 2 seconds of work" in message or "needs more than 256 MB" in message
    # Bounded: the CPU budget, plus at most the child's start-up allowance on a loaded machine.
    assert time.monotonic() - started < 2 + STARTUP_SECONDS + 15


def test_fifty_million_characters_are_refused_for_their_memory(issuer):
    peak = _own_peak_mb()

    message = refused(issuer, edited(NUMBER_TAG, f"Số: {HUGE}"))

    assert "needs more than 256 MB of memory" in message
    assert _own_peak_mb() - peak < 50  # the server's own process did not grow


def test_a_version_in_force_that_runs_away_on_real_data_is_stopped_when_rendered(settings):
    from thidua.documents.samples import SAMPLES

    settings.TEMPLATE_RENDER_SECONDS = 1
    sample = {**SAMPLES[f"{KEY}.docx"](), "units": [{"name": "x"}] * 100_000}
    loop = "{% for a in units %}{% for b in units %}{{ b.name }}{% endfor %}{% endfor %}"
    content = edited(NUMBER_TAG, f"Số: {{{{ number_symbol }}}}{loop}")
    with pytest.raises(TemplateTooCostly) as caught:
        render_docx(f"{KEY}.docx", sample, images=sample_images(sample), content=content)
    assert caught.value.resource == "time"


def test_an_ordinary_upload_still_renders_in_the_child(issuer):
    from thidua.documents.samples import SAMPLES

    sample = SAMPLES[f"{KEY}.docx"]()
    content = edited(NUMBER_TAG, "Số hiệu: {{ number_symbol }}")
    docx = render_docx(f"{KEY}.docx", sample, images=sample_images(sample), content=content)
    assert docx.startswith(b"PK") and len(docx) > 1000
