"""Load benchmark of the secret ballot: 500 voters casting in one window, over HTTP, against
PostgreSQL behind gunicorn.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua_vm_bench \\
        .venv/bin/python benchmarks/voting_load.py [--voters 500] [--clients 50] [--workers 4]

Setup (untimed): the database named in DATABASE_URL is DROPPED and re-created (its name must
contain "bench"), migrated, loaded with the demo year, and given `--voters` extra members of
the Department's emulation council (a person and a login each, one shared password hashed
once) and a council session with every seat present and one electronic vote open on three
candidates (the council rule: agree / disagree per candidate). Then gunicorn serves the
project with DEBUG=0 on 127.0.0.1 (X-Forwarded-Proto: https, as behind a TLS proxy), and
`--clients` threads play the voters with http.client, each voter in turn:

1. login: GET /login/, POST the form with its CSRF token (timed as "login");
2. the window: GET the ballot page, read its CSRF token and candidates, POST a ballot
   (agree or disagree per candidate, drawn from a seeded RNG) and follow the redirect to
   the "Your ballot was counted." page (timed as "ballot page" and "cast").

After the window, 25 voters try to vote again (all must be refused), the secretariat closes
the vote through its page, and the script proves from the database that ballots = voter
records = successful casts = voters, the chain verifies, and each candidate's count in the
tally equals the "agree" marks the clients sent. Results: a table on stdout and
benchmarks/out/voting_load.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import platform
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
DATA = OUT / "voting_data"
DAY = "2021-12-20"
PASSWORD = "bench-voter-Password-2021"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CHOICE = re.compile(r'name="choice-(\d+)"')


# Setup ------------------------------------------------------------------------------------------


def prepare_environment(port: int) -> None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres") or "bench" not in urlsplit(url).path:
        sys.exit("DATABASE_URL must name a PostgreSQL database whose name contains 'bench'.")
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "thidua.settings",
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(48),
            # A throwaway database, so a throwaway key for its audit log (docs/operations.md).
            "THIDUA_AUDIT_KEY": secrets.token_urlsafe(48),
            "ALLOWED_HOSTS": "127.0.0.1",
            "THIDUA_DATA_DIR": str(DATA),
            "THIDUA_TODAY": DAY,
            "LOG_LEVEL": "WARNING",
            "PUBLIC_BASE_URL": f"https://127.0.0.1:{port}",
        }
    )
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def build(voters: int) -> dict[str, Any]:
    """Migrate, load the demo, add the voters and open the vote. Returns what the clients
    need: the vote's id, the voters' usernames and the secretariat's login."""
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    from thidua.campaigns.demo import load_demo_campaign
    from thidua.org.demo import DEMO_PASSWORD, load_demo

    load_demo()
    load_demo_campaign()

    from thidua.org.models import Council, CouncilMember, CouncilRole, Person, Unit, User
    from thidua.voting.models import Vote
    from thidua.voting.selectors import voting_rule_in_force
    from thidua.voting.services.meetings import (
        CandidateSpec,
        agenda_item_add,
        attendance_record,
        meeting_create,
    )
    from thidua.voting.services.votes import vote_open

    agency = Unit.objects.get(code="SVHTTDL")
    council = Council.objects.get(agency=agency)
    people = Person.objects.bulk_create(
        Person(code=f"BENCH-{i:04d}", full_name=f"Đại biểu thử tải {i:04d}")
        for i in range(1, voters + 1)
    )
    hashed = make_password(PASSWORD)
    users = User.objects.bulk_create(
        User(username=f"voter{i:04d}", full_name=p.full_name, person=p, password=hashed)
        for i, p in enumerate(people, start=1)
    )
    CouncilMember.objects.bulk_create(
        CouncilMember(
            council=council,
            person=p,
            role=CouncilRole.MEMBER,
            valid_from=dt.date.fromisoformat(DAY),
        )
        for p in people
    )
    lan = User.objects.get(username="lan")
    tung = User.objects.get(username="tung")
    day = dt.date.fromisoformat(DAY)
    meeting = meeting_create(
        actor=lan,
        rule=voting_rule_in_force("council-majority", day),  # type: ignore[arg-type]
        title="Phiên họp Hội đồng Thi đua – Khen thưởng (thử tải)",
        held_on=day,
        place="Hội trường Sở",
        chair=tung,
        secretary=lan,
        council=council,
    )
    attendance_record(actor=lan, meeting=meeting, present=[e.pk for e in meeting.roll.all()])
    units = list(Unit.objects.filter(code__in=["QLVHGD", "QLDL", "TTVH"]).order_by("code"))
    item = agenda_item_add(
        actor=lan,
        meeting=meeting,
        title="Đề nghị tặng Cờ thi đua của UBND thành phố",
        candidates=[CandidateSpec(label=u.name, unit=u) for u in units],
        seats=None,
    )
    vote = vote_open(actor=lan, meeting=meeting, item=item, mode=Vote.Mode.ELECTRONIC)
    return {
        "vote": str(vote.pk),
        "usernames": [u.username for u in users],
        "secretariat": ("lan", DEMO_PASSWORD),
        "roll": meeting.roll.count(),
        "meeting": meeting.pk,
    }


# Clients ----------------------------------------------------------------------------------------


class Browser:
    """One voter's browser: a cookie jar over http.client, as behind a TLS proxy."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.origin = f"https://127.0.0.1:{port}"
        self.cookies: dict[str, str] = {"django_language": "en"}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.last_form: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> Any:
        headers = {
            "Host": f"127.0.0.1:{self.port}",
            "X-Forwarded-Proto": "https",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.origin
            headers["Referer"] = self.origin + path
        for attempt in range(3):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                text = response.read().decode()
                break
            except (ConnectionError, http.client.RemoteDisconnected):
                self.conn.close()
                if attempt == 2 or method == "POST":
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        if response.getheader("Connection", "").lower() == "close":
            self.conn.close()
        return response.status, response.getheader("Location", ""), text

    def login(self, username: str, password: str) -> None:
        _status, _loc, page = self.request("GET", "/login/")
        token = CSRF.search(page)
        assert token, "no CSRF token on the login page"
        status, _location, _ = self.request(
            "POST",
            "/login/",
            {"csrfmiddlewaretoken": token.group(1), "username": username, "password": password},
        )
        if status != 302:
            raise RuntimeError(f"login of {username} failed: {status}")


@dataclass
class Results:
    login: list[float] = field(default_factory=list)
    page: list[float] = field(default_factory=list)
    cast: list[float] = field(default_factory=list)
    counted: int = 0
    refused: list[str] = field(default_factory=list)
    agree: Counter[int] = field(default_factory=Counter)
    sent: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def vote_once(browser: Browser, vote: str, rng: random.Random, results: Results) -> None:
    path = f"/voting/votes/{vote}/ballot/"
    t0 = time.perf_counter()
    status, _loc, page = browser.request("GET", path)
    t1 = time.perf_counter()
    token = CSRF.search(page)
    candidates = sorted({int(c) for c in CHOICE.findall(page)})
    if status != 200 or not token or not candidates:
        raise RuntimeError(f"ballot page: {status}")
    marks = {c: ("agree" if rng.random() < 0.6 else "disagree") for c in candidates}
    form = {"csrfmiddlewaretoken": token.group(1)}
    form.update({f"choice-{c}": mark for c, mark in marks.items()})
    browser.last_form = form
    t2 = time.perf_counter()
    status, location, _ = browser.request("POST", path, form)
    _s, _l, after = browser.request("GET", location or path)
    t3 = time.perf_counter()
    with results.lock:
        results.page.append(t1 - t0)
        results.cast.append(t3 - t2)
        _record(results, status, after, marks)


def _record(results: Results, status: int, after: str, marks: dict[int, str]) -> None:
    results.sent += 1
    if status == 302 and "Your ballot was counted." in after:
        results.counted += 1
        results.agree.update(c for c, mark in marks.items() if mark == "agree")
    else:
        results.refused.append(_flash(after))


def vote_again(browser: Browser, vote: str, results: Results) -> None:
    """A second tab opened before the first ballot was cast posts its form again."""
    path = f"/voting/votes/{vote}/ballot/"
    status, location, _ = browser.request("POST", path, browser.last_form)
    _s, _l, after = browser.request("GET", location or path)
    marks = {int(k[7:]): v for k, v in browser.last_form.items() if k.startswith("choice-")}
    _record(results, status, after, marks)


def _flash(page: str) -> str:
    found = re.search(r'class="alert[^"]*"[^>]*>\s*([^<]+)', page)
    return found.group(1).strip() if found else "?"


def run_clients(
    port: int, vote: str, usernames: list[str], clients: int, seed: int
) -> tuple[Results, float, float, list[Browser]]:
    results = Results()
    browsers = [Browser(port) for _ in usernames]

    def login(i: int) -> None:
        t0 = time.perf_counter()
        browsers[i].login(usernames[i], PASSWORD)
        with results.lock:
            results.login.append(time.perf_counter() - t0)

    def cast(i: int) -> None:
        vote_once(browsers[i], vote, random.Random(seed * 100_003 + i), results)

    with ThreadPoolExecutor(clients) as pool:
        t0 = time.perf_counter()
        list(pool.map(login, range(len(usernames))))
        login_wall = time.perf_counter() - t0
        t0 = time.perf_counter()
        list(pool.map(cast, range(len(usernames))))
        window_wall = time.perf_counter() - t0
    return results, login_wall, window_wall, browsers


# Server -----------------------------------------------------------------------------------------


def start_gunicorn(port: int, workers: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "thidua.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--backlog",
            "2048",
            "--timeout",
            "120",
            # No access log: it would record who posted the ballot URL when.
        ],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=(OUT / "voting_gunicorn.log").open("wb"),
        start_new_session=True,
    )
    for _ in range(300):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/login/", headers={"X-Forwarded-Proto": "https"})
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    sys.exit("gunicorn did not start; see benchmarks/out/voting_gunicorn.log")


def stop(server: subprocess.Popen[bytes]) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


# Proof ------------------------------------------------------------------------------------------


def prove(vote_id: str, results: Results, voters: int) -> dict[str, Any]:
    from django.db import connections

    connections.close_all()  # fresh reads after the server's writes

    from thidua.voting.models import Ballot, Tally, Vote, VoterRecord
    from thidua.voting.services.ballots import ballots_verify

    vote = Vote.objects.get(pk=vote_id)
    tally = Tally.objects.get(vote=vote)
    rows = {row.candidate_id: row.votes for row in tally.rows.all()}
    checks = {
        "successful casts == voters": results.counted == voters,
        "voter records == voters": VoterRecord.objects.filter(vote=vote).count() == voters,
        "ballots == voter records": Ballot.objects.filter(vote=vote).count() == voters,
        "tally ballots == voters == tally voters": tally.ballots == voters == tally.voters,
        "per-candidate tally == agree marks sent": rows
        == {c: results.agree.get(c, 0) for c in rows},
        "no cast refused in the window": len(results.refused) == 0,
        "chain verifies, head recorded": ballots_verify(vote) is None
        and tally.chain_head == vote.chain_head != "",
    }
    return {
        "checks": checks,
        "tally": {str(k): v for k, v in sorted(rows.items())},
        "sent_agree": {str(k): v for k, v in sorted(results.agree.items())},
        "chain_head": tally.chain_head,
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--voters", type=int, default=500)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8931)
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="a CI run: 12 voters, 4 clients, 2 workers, a free port; every check still made",
    )
    args = parser.parse_args()
    if args.smoke:
        args.voters, args.clients, args.workers, args.port = 12, 4, 2, free_port()
    OUT.mkdir(parents=True, exist_ok=True)

    t0 = time.perf_counter()
    prepare_environment(args.port)
    setup = build(args.voters)
    setup_s = time.perf_counter() - t0
    print(f"setup: {setup_s:.1f} s (roll of {setup['roll']}, vote {setup['vote']})", flush=True)

    server = start_gunicorn(args.port, args.workers)
    try:
        results, login_wall, window_wall, browsers = run_clients(
            args.port, setup["vote"], setup["usernames"], args.clients, args.seed
        )
        # A second ballot from 25 voters who already voted: each must be refused.
        again = Results()
        for i in range(min(25, args.voters)):
            vote_again(browsers[i], setup["vote"], again)
        duplicates_refused = again.counted == 0 and len(again.refused) == min(25, args.voters)
        closer = Browser(args.port)
        closer.login(*setup["secretariat"])
        _s, _l, meeting_page = closer.request("GET", f"/voting/meetings/{setup['meeting']}/")
        token = CSRF.search(meeting_page)
        t1 = time.perf_counter()
        status, _loc, _ = closer.request(
            "POST",
            f"/voting/votes/{setup['vote']}/close/",
            {"csrfmiddlewaretoken": token.group(1) if token else ""},
        )
        close_s = time.perf_counter() - t1
        if status != 302:
            raise RuntimeError(f"close refused: {status}")
    finally:
        stop(server)

    proof = prove(setup["vote"], results, args.voters)
    proof["checks"]["a second ballot (25 voters) refused"] = duplicates_refused
    report = {
        "voters": args.voters,
        "clients": args.clients,
        "gunicorn_workers": args.workers,
        "setup_s": round(setup_s, 1),
        "login": {
            "wall_s": round(login_wall, 2),
            "per_s": round(args.voters / login_wall, 1),
            "p50_ms": round(pct(results.login, 0.5), 1),
            "p95_ms": round(pct(results.login, 0.95), 1),
        },
        "window": {
            "wall_s": round(window_wall, 2),
            "ballots_per_s": round(results.counted / window_wall, 1),
            "page_p50_ms": round(pct(results.page, 0.5), 1),
            "page_p95_ms": round(pct(results.page, 0.95), 1),
            "cast_p50_ms": round(pct(results.cast, 0.5), 1),
            "cast_p95_ms": round(pct(results.cast, 0.95), 1),
            "cast_max_ms": round(max(results.cast) * 1000, 1),
        },
        "close_s": round(close_s, 2),
        "refused_again": again.refused[:1],
        **proof,
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "load_avg_after": os.getloadavg(),
        },
    }
    out = OUT / ("voting_load-smoke.json" if args.smoke else "voting_load.json")
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(json.dumps({k: v for k, v in report.items() if k != "machine"}, indent=2))
    ok = all(proof["checks"].values())
    print("ALL CHECKS PASS" if ok else "A CHECK FAILED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
