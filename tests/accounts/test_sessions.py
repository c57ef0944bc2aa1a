"""A session ends after SESSION_IDLE_MINUTES without use, and each use pushes the end back."""

from __future__ import annotations

import datetime as dt
from typing import Any
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from thidua.accounts import middleware

pytestmark = pytest.mark.django_db


def _log_in(demo_password: str) -> Client:
    client = Client()
    client.post(reverse("login"), {"username": "minh", "password": demo_password})
    assert "_auth_user_id" in client.session
    return client


def _expiry(client: Client) -> dt.datetime:
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_the_session_lasts_the_idle_timeout_not_two_weeks(demo_password: str) -> None:
    assert settings.SESSION_IDLE_MINUTES == 30
    client = _log_in(demo_password)
    left = _expiry(client) - timezone.now()
    assert dt.timedelta(minutes=29) < left <= dt.timedelta(minutes=30)


def test_an_idle_session_expires(demo_password: str) -> None:
    client = _log_in(demo_password)
    later = timezone.now() + dt.timedelta(minutes=31)
    with mock.patch("django.contrib.sessions.backends.db.timezone.now", return_value=later):
        response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_use_pushes_the_end_back(demo_password: str, monkeypatch: Any) -> None:
    client = _log_in(demo_password)
    first = _expiry(client)
    # Twenty minutes later (past the once-a-minute refresh) the person opens a page ...
    now = timezone.now() + dt.timedelta(minutes=20)
    clock = now.timestamp()
    monkeypatch.setattr(middleware.time, "time", lambda: clock)
    with (
        mock.patch("django.contrib.sessions.backends.db.timezone.now", return_value=now),
        mock.patch("django.contrib.sessions.backends.base.timezone.now", return_value=now),
    ):
        assert client.get(reverse("dashboard")).status_code == 200
    # ... so the session now ends thirty minutes after that page, not after the login.
    assert _expiry(client) - first >= dt.timedelta(minutes=19)
    later = now + dt.timedelta(minutes=25)  # 45 minutes after the login, 25 after the page
    with mock.patch("django.contrib.sessions.backends.db.timezone.now", return_value=later):
        assert client.get(reverse("dashboard")).status_code == 200


def test_a_page_within_the_minute_writes_no_session(demo_password: str) -> None:
    client = _log_in(demo_password)
    first = _expiry(client)
    client.get(reverse("dashboard"))
    assert _expiry(client) == first
