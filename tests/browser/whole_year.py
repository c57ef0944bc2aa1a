"""Helpers for the whole-year browser test: logins for the unit heads the demo lacks, and
small page moves (sign in as someone, press a form's button, download a file)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from playwright.sync_api import expect

from thidua.campaigns.models import BlockCycle
from thidua.covenants import services as covenant_services
from thidua.covenants.models import Covenant
from thidua.demo.loader import DEMO_PASSWORD
from thidua.org.models import BlockTerm, Council, Rating, Role, RoleAssignment, Unit, User
from thidua.org.services.employment import employment_add
from thidua.org.services.people import person_save
from thidua.org.services.ratings import staff_rating_set
from thidua.reports import services as report_services
from thidua.reports.selectors import measurable_criteria
from thidua.scoring.models import ScoringItem, ScoringRound, ScoringTable
from thidua.scoring.selectors import results
from thidua.scoring.services import self_scores, verification
from thidua.voting.models import Meeting, Vote, VotingRule
from thidua.voting.services.ballots import ballot_cast

from .conftest import log_in


def cycle(block: str) -> BlockCycle:
    return BlockCycle.objects.select_related("term__leader", "term__deputy", "campaign").get(
        term__block__code=block, campaign__year=2021
    )


def deputy_code(c: BlockCycle) -> str:
    deputy = c.term.deputy
    assert deputy is not None, "both demo blocks have a deputy"
    return deputy.code


def term(block: str) -> BlockTerm:
    return BlockTerm.objects.get(block__code=block, year=2021)


def member_codes(block: str) -> list[str]:
    return list(term(block).memberships.order_by("unit__code").values_list("unit__code", flat=True))


# Illustrative heads for the units the demo has no login for.
HEAD_NAMES = [
    "Ngô Thanh Bình",
    "Dương Thị Hạnh",
    "Lý Quốc Hùng",
    "Hồ Ngọc Trang",
    "Bùi Hữu Phúc",
    "Đỗ Kim Yến",
    "Phan Minh Trí",
    "Vũ Thu Giang",
    "Hoàng Văn Nam",
    "Trần Hoài Linh",
    "Lê Quang Sơn",
]


def head_logins(block: str) -> dict[str, str]:
    """The username of the head of every member unit, by unit code.

    The demo has logins for three heads only (minh, hoa, tuan). The others get one here,
    directly through the org services and the database, with the demo's password: a person
    on record as the unit's head (the block's documents name the leader's head as signer),
    rated for 2021 like the other staff, and a login holding the unit-head role.
    """
    admin = User.objects.get(username="khoa")
    found: dict[str, str] = {}
    for membership in term(block).memberships.select_related("unit").order_by("unit__code"):
        unit = membership.unit
        assignment = (
            RoleAssignment.objects.filter(unit=unit, role=Role.UNIT_HEAD)
            .select_related("user")
            .first()
        )
        if assignment is None:
            name = HEAD_NAMES[User.objects.filter(username__startswith="head-").count()]
            person = person_save(
                actor=admin,
                unit=unit,
                code=f"HEAD-{unit.code}",
                full_name=name,
                is_illustrative=True,
            )
            employment_add(
                actor=admin,
                person=person,
                unit=unit,
                valid_from=dt.date(2020, 1, 1),
                position="Thủ trưởng đơn vị",
                is_head=True,
            )
            staff_rating_set(actor=admin, person=person, year=2021, rating=Rating.EXCELLENT)
            user = User(username=f"head-{unit.code.lower()}", full_name=name, person=person)
            user.set_password(DEMO_PASSWORD)
            user.save()
            RoleAssignment.objects.create(
                user=user, role=Role.UNIT_HEAD, unit=unit, valid_from=dt.date(2020, 1, 1)
            )
        else:
            user = assignment.user
        found[unit.code] = user.username
    return found


class Browser:
    """The test's hands: a browser window per person, each signed in once, so moving from
    one person to the next is switching windows rather than signing in again."""

    def __init__(self, browser: Any, base_url: str) -> None:
        self.browser = browser
        self.base = base_url
        self.pages: dict[str, Any] = {}
        self.page: Any = None

    def as_(self, username: str) -> Any:
        if username not in self.pages:
            context = self.browser.new_context(
                viewport={"width": 1280, "height": 900}, locale="vi-VN"
            )
            page = context.new_page()
            page.set_default_timeout(15_000)
            page.base_url = self.base
            log_in(page, username, DEMO_PASSWORD)
            expect(page.locator("#id_username")).to_have_count(0)
            self.pages[username] = page
        self.page = self.pages[username]
        return self.page

    def close(self) -> None:
        for page in self.pages.values():
            page.context.close()

    def go(self, path: str) -> Any:
        self.page.goto(self.base + path)
        return self.page

    def press(self, action_end: str, *, within: str = "body") -> None:
        """Press the button of the POST form whose action ends with `action_end`."""
        self.page.locator(within).locator(f'form[action$="{action_end}"] button').first.click()

    def success(self) -> None:
        expect(self.page.locator(".alert-success").first).to_be_visible()

    def download(self, locator: Any) -> tuple[str, bytes]:
        with self.page.expect_download() as info:
            locator.click()
        download = info.value
        with open(download.path(), "rb") as handle:
            return download.suggested_filename, handle.read()


def unit(code: str) -> Unit:
    return Unit.objects.get(code=code)


def user(username: str) -> User:
    return User.objects.get(username=username)


def full_name(username: str) -> str:
    return str(user(username))


def narrative(code: str) -> str:
    return f"Đơn vị hoàn thành tốt các nhiệm vụ được giao năm 2021 ({code})."


# Khối 2's heads, through the services the pages call -----------------------------------------


def sign_covenant(covenant: Covenant, logins: dict[str, str]) -> None:
    for code, username in logins.items():
        covenant_services.covenant_sign(
            actor=user(username), covenant=covenant, unit=unit(code), password=DEMO_PASSWORD
        )


def file_reports(block: str, period: str, logins: dict[str, str]) -> None:
    c = cycle(block)
    campaign = c.campaign
    first_group = campaign.groups.order_by("order").first()
    assert first_group is not None
    reported = [x for x in measurable_criteria(campaign) if not x.is_computed]
    for code, username in logins.items():
        head = user(username)
        report = report_services.report_open(actor=head, cycle=c, unit=unit(code), period=period)
        report_services.report_save_draft(
            actor=head,
            report=report,
            narratives={first_group.pk: narrative(code)},
            values={x.pk: "100" for x in reported},
        )
        report_services.report_submit(actor=head, report=report)


def scoring_table(c: BlockCycle) -> ScoringTable | None:
    return (
        ScoringTable.objects.filter(campaign=c.campaign, block=c.term.block).order_by("-pk").first()
    )


def leaves(table: ScoringTable) -> list[ScoringItem]:
    """The items a head scores (bonus and penalty lines stay empty: nothing to claim)."""
    return list(
        ScoringItem.objects.filter(table=table)
        .exclude(kind__in=["section", "bonus", "penalty"])
        .order_by("pk")
    )


def points(items: list[ScoringItem], place: int) -> dict[str, Decimal]:
    """Full marks, less 1.5 points per place on a criterion judged by hand (1.4, taking
    part in the unions' movements): the order is certain, and no late penalty (0.5 a day)
    makes a tie."""
    found = {item.code: item.max_points or Decimal(0) for item in items}
    found["1.4"] -= Decimal("1.5") * place
    return found


def late_penalty(round_: ScoringRound, code: str) -> Decimal:
    row = next(r for r in results.block_results(round_).rows if r.unit.code == code)
    late = round_.table.items.get(indicator_source=ScoringItem.Source.LATE_DAYS)
    return Decimal(row.final.by_code()[late.code].points)


def self_score_and_verify(
    round_: ScoringRound,
    by_unit: dict[str, dict[str, Decimal]],
    logins: dict[str, str],
    *,
    changed_for: str,
    changed: dict[str, Decimal],
) -> None:
    term = BlockTerm.objects.get(block=round_.table.block, year=round_.table.campaign.year)
    leader = user(logins[term.leader.code])
    deputy = user(logins[deputy_code(term.cycle)])
    for code, values in by_unit.items():
        self_scores.self_score(
            actor=user(logins[code]), round_=round_, unit=unit(code), points=values
        )
    for code, values in by_unit.items():
        verified = {**values, **changed} if code == changed_for else values
        verification.verify(
            actor=deputy if code == term.leader.code else leader,
            round_=round_,
            unit=unit(code),
            points=verified,
            reasons={c: "Minh chứng chưa đầy đủ" for c in changed} if code == changed_for else {},
        )


def meeting_of(c: BlockCycle) -> Meeting | None:
    return Meeting.objects.filter(term=c.term).order_by("-pk").first()


def open_vote(meeting: Meeting) -> Vote:
    return Vote.objects.filter(meeting=meeting, status=Vote.Status.OPEN).get()


def cast_ballots(vote: Vote, logins: dict[str, str], winner: Unit, runner_up: Unit) -> None:
    """Every head chooses the winner; the winner's own head, who may not choose its own
    unit, chooses the runner-up."""
    for code, username in logins.items():
        choice = vote.candidates.get(unit=runner_up if code == winner.code else winner)
        ballot_cast(actor=user(username), vote=vote, chosen=[choice.pk])


def export_reports(b: Browser) -> None:
    """The board's ZIP of every report (made by the job worker: inline in tests)."""
    page = b.page
    page.locator("#export-zip").click()
    link = page.locator("#export-download")
    expect(link).to_be_visible(timeout=120_000)
    name, data = b.download(link)
    assert name.endswith(".zip") and data.startswith(b"PK")


def advance(b: Browser, username: str, c: BlockCycle, target: str) -> None:
    """Take a step of the block's year with the button on the person's home page. A step a
    workflow already took by itself (block_cycle_follow) needs no button."""
    c.refresh_from_db()
    if c.state == target:
        return
    page = b.as_(username)
    b.go("/")
    form = page.locator(
        f'form[action$="/cycles/{c.pk}/advance/"]:has(input[name=target][value="{target}"])'
    )
    form.locator("button").click()
    b.success()
    c.refresh_from_db()
    assert c.state == target, (c.state, target)


def document_files(b: Browser, *, pdf: bool) -> None:
    """On an issued document's page: the DOCX, and the PDF when the worker made it."""
    page = b.page
    name, data = b.download(page.locator('a[href$="/download.docx"]').first)
    assert name.endswith(".docx") and data.startswith(b"PK")
    if pdf:
        name, data = b.download(page.locator('a[href$="/download.pdf"]').first)
        assert name.endswith(".pdf") and data.startswith(b"%PDF")


def pdf(label: str) -> bytes:
    """A small valid PDF standing for a signed scan."""
    return b"%PDF-1.4\n% " + label.encode() + b"\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


COUNCIL_SESSION_TITLE = (
    "Phiên họp Hội đồng Thi đua – Khen thưởng Sở xét đề nghị khen thưởng năm 2021"
)


def council_rule() -> VotingRule:
    return VotingRule.objects.get(code="council-majority")


def council_session(day: str) -> Meeting:
    """The session chị Lan called from the page."""
    return Meeting.objects.get(
        kind=Meeting.Kind.COUNCIL_SESSION,
        council=Council.objects.get(),
        held_on=dt.date.fromisoformat(day),
    )
