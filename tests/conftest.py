"""Shared fixtures: the seed's demo year loaded once per test database, and its personas.

Every test runs in a transaction that is rolled back, so tests may change the demo data
freely. Tests that need a live server (browser tests) flush the database, so they run in a
separate pytest invocation (`-m browser`) with their own fixtures.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client, override_settings
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from thidua.demo.loader import DEMO_PASSWORD, load_demo
from thidua.org.models import User

# Property tests assert rules, not speed: on a loaded two-core machine example generation
# can be slow, which must not fail a test whose property holds.
hypothesis_settings.register_profile(
    "thidua", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("thidua")


@pytest.fixture(scope="session", autouse=True)
def _session_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    # Files written by the demo load (the covenant's frozen revision) and by tests that do
    # not set their own folder go to a temporary folder, never to the developer's var/.
    # The audit key is fixed for the session: tests that give themselves another DATA_DIR
    # must not find another development key there (thidua/audit/keys.py). Loading the demo
    # queues no checkpoint job (tests/audit publishes its own).
    with override_settings(
        DATA_DIR=tmp_path_factory.mktemp("data"),
        AUDIT_KEY="test-audit-key-" + "0" * 32,
        AUDIT_CHECKPOINT_MINUTES=0,
    ):
        yield


@pytest.fixture(scope="session")
def django_db_setup(
    _session_data_dir: None, django_db_setup: Any, django_db_blocker: Any
) -> Iterator[None]:
    # THIDUA_TESTS_WITHOUT_DEMO=1 starts from an empty database instead: the tests that then
    # fail are the ones that lean on the demo year (issue #12 counts them).
    with django_db_blocker.unblock():
        if not os.environ.get("THIDUA_TESTS_WITHOUT_DEMO"):
            load_demo()
    yield


@pytest.fixture
def demo_password() -> str:
    return DEMO_PASSWORD


@pytest.fixture
def persona(db: Any) -> Any:
    """persona("minh") → the demo User of that name."""

    def get(username: str) -> User:
        return User.objects.get(username=username)

    return get


@pytest.fixture
def login(client: Client, persona: Any) -> Any:
    """login("minh") → the test client, logged in as that persona."""

    def as_user(username: str) -> Client:
        client.force_login(persona(username))
        return client

    return as_user


@pytest.fixture(autouse=True)
def _pin_today(settings: Any) -> None:
    # The demo lives inside its 2021 campaign: 04/01/2021, two days before the covenant
    # deadline. Tests that need another day override THIDUA_TODAY themselves.
    settings.THIDUA_TODAY = "2021-01-04"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # No checkpoint job queued behind the tests' own jobs (tests/audit schedules its own).
    settings.AUDIT_CHECKPOINT_MINUTES = 0


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    # The rate limits (/verify/, logins) count in Django's cache, which lives as long as the
    # test worker: without this, a test would be refused for requests other tests made.
    from django.core.cache import cache

    cache.clear()
    yield
