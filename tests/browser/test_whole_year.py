"""The seed's year from start to finish, in Chromium, on the demo data (journeys.md).

One test, because the live server empties the database after each test: the covenant signed
by every member of both blocks, the mid-year and annual reports, scoring and verification,
each block's secret vote for its leading unit, the proposals, the council's vote, the
proposal to the City, the City's flag decision recorded, and the award in the unit's history,
with each document generated along the way. Screenshots go to review/browser/year-*.png.
Last, every persona follows every link from the home page of the finished year, and no page
fails.

Khối 1 — the personas' block — plays its steps in the browser (five of its mid-year reports
excepted). Khối 2's leader, deputy and the secretariat act in the browser too; its seven
heads' repeated per-unit steps (signing, filing reports, self-scores, verification, ballots)
go through the same services the pages call, so the test stays within a few minutes. The
live server runs in this process, so setting `THIDUA_TODAY` between phases moves the
server's "today" as well.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from playwright.sync_api import expect

from tests.web.crawl import PERSONAS, crawl
from thidua.covenants.models import Covenant
from thidua.proposals.models import Dossier, UpwardProposal
from thidua.reports.models import Report

from . import whole_year as y
from .conftest import screenshot
from .whole_year import Browser, advance, cycle, head_logins, member_codes, unit

FAST_HASHER = "django.contrib.auth.hashers.MD5PasswordHasher"
# The unit each block elects as its leading unit: every other unit scores a little less.
WINNERS = {"K1": "QLDL", "K2": "BTANG"}
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# LibreOffice is slow: Khối 2's documents are issued as DOCX, their PDFs left queued.
QUEUED = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


# Data migrations whose rows the year needs, each with a model it fills (in order).
def test_the_whole_year_in_the_browser(browser: Any, demo_server: Any, settings: Any) -> None:
    # The heads' new logins hash quickly; the demo's own Argon2 hashes still verify.
    settings.PASSWORD_HASHERS = [FAST_HASHER, *settings.PASSWORD_HASHERS]
    heads = {block: head_logins(block) for block in ("K1", "K2")}
    b = Browser(browser, demo_server.url)
    try:
        for phase in (
            covenants,
            midyear,
            annual_reports,
            scoring,
            block_votes,
            dossiers,
            council,
            to_the_city,
            every_page_after_the_year,
        ):
            phase(b, settings, heads)
    except Exception:
        if b.page is not None:
            screenshot(b.page, "year-failed")
        raise
    finally:
        b.close()


# 1. Covenants ------------------------------------------------------------------------------


def covenants(b: Browser, settings: Any, heads: dict[str, dict[str, str]]) -> None:
    """04/01: Khối 1's covenant is out for signature (minh and hoa signed in the demo); the
    other five heads sign, minh submits, chị Lan accepts. Khối 2's leader drafts and
    circulates its covenant; every member signs; it goes in late on 08/01."""
    page = b.as_("tuan")
    expect(page.locator("#due-next")).to_contain_text("Giao ước thi đua")
    screenshot(page, "year-00-dashboard-tuan")
    page = b.as_("minh")
    screenshot(page, "year-00-dashboard-minh")
    k1 = Covenant.objects.get(term__block__code="K1", term__year=2021)
    for code in member_codes("K1"):
        if code not in ("QLVHGD", "TTVH"):
            page = b.as_(heads["K1"][code])
            b.go(f"/covenants/{k1.pk}/sign/")
            page.fill("#id_password", y.DEMO_PASSWORD)
            page.locator("form button[type=submit]").click()
            b.success()
    page = b.as_("minh")
    b.go(f"/covenants/{k1.pk}/")
    expect(page.locator("#signatures .badge.text-bg-success")).to_have_count(7)
    b.press("/submit/")
    b.success()
    page = b.as_("lan")
    b.go(f"/covenants/{k1.pk}/")
    b.press("/accept/")
    b.success()
    expect(page.locator("#covenant-status")).to_contain_text("đã tiếp nhận")
    screenshot(page, "year-01-covenant-k1-signed")
    name, data = b.download(page.locator("#covenant-files a", has_text="PDF"))
    assert name.endswith(".pdf") and data.startswith(b"%PDF")

    k2 = cycle("K2")
    leader = heads["K2"][k2.term.leader.code]
    page = b.as_(leader)
    b.go(f"/covenants/cycles/{k2.pk}/")
    page.locator("main form button, form button.btn-primary").last.click()  # start the draft
    page.locator("form button[type=submit]").click()  # the plan's targets, unchanged
    b.press("/circulate/")
    b.success()
    k2_covenant = Covenant.objects.get(term__block__code="K2", term__year=2021)
    # Khối 2's heads sign through the signing service (Khối 1's signed on the page above).
    y.sign_covenant(k2_covenant, heads["K2"])
    settings.THIDUA_TODAY = "2021-01-08"
    b.go(f"/covenants/{k2_covenant.pk}/")
    expect(page.locator("#signatures .badge.text-bg-success")).to_have_count(7)
    b.press("/submit/")
    b.success()
    expect(page.locator("body")).to_contain_text("trễ hạn")
    name, data = b.download(page.locator("#covenant-files a", has_text="DOCX"))
    assert name.endswith(".docx") and data.startswith(b"PK")
    page = b.as_("lan")
    b.go(f"/covenants/board/{k2.campaign_id}/")
    screenshot(page, "year-02-covenant-board")
    b.go(f"/covenants/{k2_covenant.pk}/")
    b.press("/accept/")
    b.success()
    assert cycle("K1").state == cycle("K2").state == "active"


# 2–3. Reports ------------------------------------------------------------------------------


def file_report(b: Browser, block: str, period: str, code: str, username: str) -> Report:
    """The head starts the unit's report, writes a narrative and fills the reported
    indicators, and saves the draft."""
    page = b.as_(username)
    c = cycle(block)
    b.go(f"/reports/cycles/{c.pk}/{period}/units/{unit(code).pk}/")
    page.locator("#start-report").click()
    page.locator("#report-form textarea").first.fill(y.narrative(code))
    for field in page.locator("#report-form input[name^=value_]").all():
        field.fill("100")
    page.locator("#save-draft").click()
    b.success()
    return Report.objects.get(cycle=c, unit__code=code, period=period)


def submit_report(b: Browser, report: Report, username: str) -> None:
    page = b.as_(username)
    if not page.url.endswith(f"/reports/{report.pk}/"):
        b.go(f"/reports/{report.pk}/")
    page.locator("#submit-report").click()
    b.success()


def accept_reports(b: Browser, block: str, period: str, logins: dict[str, str]) -> None:
    """The leader accepts the reports; the deputy takes the mid-year ones and the leader's
    own; nobody accepts their own unit's."""
    c = cycle(block)
    for report in Report.objects.filter(cycle=c, period=period, status=Report.Status.SUBMITTED):
        by_deputy = period == "midyear" or report.unit_id == c.term.leader_id
        if report.unit_id == c.term.deputy_id:
            by_deputy = False
        b.as_(logins[y.deputy_code(c) if by_deputy else c.term.leader.code])
        b.go(f"/reports/{report.pk}/")
        b.press("/accept/", within="#report-actions")
        b.success()


def midyear(b: Browser, settings: Any, heads: dict[str, dict[str, str]]) -> None:
    """June: each unit files its short mid-year report; the deputy, who hosts the mid-year
    review, accepts them, records the review and starts the second half."""
    settings.THIDUA_TODAY = "2021-06-25"
    # Chị Hoa and anh Tuấn file on the page; the other heads' short reports, like Khối 2's,
    # go through the report services (the annual reports below are all filed on the page).
    on_page = {"TTVH", "QLDL"}
    for code in sorted(on_page):
        report = file_report(b, "K1", "midyear", code, heads["K1"][code])
        submit_report(b, report, heads["K1"][code])
    y.file_reports("K1", "midyear", {k: v for k, v in heads["K1"].items() if k not in on_page})
    y.file_reports("K2", "midyear", heads["K2"])
    for block, logins in heads.items():
        c = cycle(block)
        accept_reports(b, block, "midyear", logins)
        deputy = logins[y.deputy_code(c)]
        advance(b, deputy, c, "midyear_reviewed")
        advance(b, deputy, c, "active_h2")
    page = b.as_("hoa")
    b.go(f"/reports/cycles/{cycle('K1').pk}/midyear/")
    expect(page.locator("#board-summary")).to_have_attribute("data-submitted", "7")
    screenshot(page, "year-03-midyear-board-k1")


def annual_reports(b: Browser, settings: Any, heads: dict[str, dict[str, str]]) -> None:
    """By 15/11 each unit files its annual report, anh Tuấn with his evidence attached; one
    unit of Khối 1 submits on 16/11 and is marked late. The leaders accept them and close the
    collection; the board's ZIP holds every report."""
    settings.THIDUA_TODAY = "2021-11-10"
    late = "KHTC"
    drafts: dict[str, Report] = {}
    for code in member_codes("K1"):
        drafts[code] = file_report(b, "K1", "yearend", code, heads["K1"][code])
        if code == "QLDL":
            attach_evidence(b)
        if code != late:
            submit_report(b, drafts[code], heads["K1"][code])
    y.file_reports("K2", "yearend", heads["K2"])
    settings.THIDUA_TODAY = "2021-11-16"
    submit_report(b, drafts[late], heads["K1"][late])
    expect(b.page.locator("body")).to_contain_text("trễ")
    for block, logins in heads.items():
        c = cycle(block)
        accept_reports(b, block, "yearend", logins)
        advance(b, logins[c.term.leader.code], c, "reports_collected")
    page = b.as_("minh")
    b.go(f"/reports/cycles/{cycle('K1').pk}/yearend/")
    expect(page.locator("#board-summary")).to_have_attribute("data-submitted", "7")
    screenshot(page, "year-04-annual-report-board-k1")
    y.export_reports(b)


def attach_evidence(b: Browser) -> None:
    row = b.page.locator(".evidence-row").first
    row.locator("input[type=file]").set_input_files(
        files=[
            {
                "name": "ket-qua-nhiem-vu-2021.pdf",
                "mimeType": "application/pdf",
                "buffer": b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
            }
        ]
    )
    row.locator("button").click()
    expect(row.locator(".evidence-file")).to_contain_text("ket-qua-nhiem-vu-2021.pdf")


# 4. Scoring --------------------------------------------------------------------------------


def scoring(b: Browser, settings: Any, heads: dict[str, dict[str, str]]) -> None:
    settings.THIDUA_TODAY = "2021-11-20"
    for block, logins in heads.items():
        score_block(b, settings, block, logins)


def score_block(b: Browser, settings: Any, block: str, logins: dict[str, str]) -> None:
    """20/11: the leader opens the year-end round (Khối 2 first copies Khối 1's table);
    every head self-scores; the leader verifies, changing two scores of one unit with
    reasons (the deputy verifies the leader's own unit); the scores lock and the ranking is
    published; chị Lan issues the block's report from it."""
    c = cycle(block)
    leader = logins[c.term.leader.code]
    deputy = logins[y.deputy_code(c)]
    page = b.as_(leader)
    if y.scoring_table(c) is None:
        b.go(f"/scoring/cycles/{c.pk}/copy/")
        page.select_option("#id_source", index=1)
        page.locator("form button[type=submit]").click()
        b.success()
    table = y.scoring_table(c)
    assert table is not None
    if block == "K1":
        # The block's regulation: half a point off per day an annual report came late.
        late_item = table.items.get(kind="penalty")
        b.go(f"/scoring/items/{late_item.pk}/edit/")
        page.fill("#id_text", "Nộp báo cáo năm trễ hạn (mỗi ngày trễ)")
        page.select_option("#id_indicator_source", "late_days")
        page.fill("#id_points_per_occurrence", "0.5")
        page.locator("form:has(#id_indicator_source) button[type=submit]").click()
        b.success()
    b.go(f"/scoring/tables/{table.pk}/scores/yearend/")
    page.locator("#open-round button").click()
    b.success()
    round_ = table.rounds.get(period="yearend")
    leaves = y.leaves(table)
    order = [WINNERS[block]] + [x for x in member_codes(block) if x != WINNERS[block]]
    points = {code: y.points(leaves, place) for place, code in enumerate(order)}
    last = order[-1]
    changed = {item.code: (item.max_points or Decimal(0)) - 1 for item in leaves[:2]}
    if block == "K1":
        for code in order:
            page = b.as_(logins[code])
            b.go(f"/scoring/rounds/{round_.pk}/self/{unit(code).pk}/")
            for item_code, value in points[code].items():
                page.fill(f"input[name='points-{item_code}']", str(value))
            page.locator("#self-score-form button").click()
            b.success()
        for code in order:
            page = b.as_(deputy if code == c.term.leader.code else leader)
            b.go(f"/scoring/rounds/{round_.pk}/verify/{unit(code).pk}/")
            if code == last:
                for item_code, value in changed.items():
                    page.fill(f"input[name='verified-{item_code}']", str(value))
                    page.fill(f"input[name='reason-{item_code}']", "Minh chứng chưa đầy đủ")
            page.locator("#verify-form button").click()
            b.success()
    else:
        y.self_score_and_verify(round_, points, logins, changed_for=last, changed=changed)
    page = b.as_(leader)
    b.go(f"/scoring/tables/{table.pk}/scores/yearend/")
    expect(page.locator(f"#unit-{WINNERS[block]} .rank")).to_have_text("1")
    if block == "K1":
        assert y.late_penalty(round_, "KHTC") == Decimal("-1.00")  # two days late
    expect(page.locator("#score-matrix td.table-warning")).to_have_count(2)
    screenshot(page, f"year-05-matrix-{block.lower()}")
    b.press("/lock/", within="#round-actions")
    b.success()
    b.press("/publish/", within="#round-actions")
    b.success()
    expect(page.locator("#ranking tbody tr").first).to_contain_text(unit(WINNERS[block]).name)
    screenshot(page, f"year-06-ranking-{block.lower()}")
    snapshot_url = page.url
    advance(b, leader, c, "scored")
    advance(b, leader, c, "scores_final")
    settings.TASKS = IMMEDIATE if block == "K1" else QUEUED
    page = b.as_("lan")
    page.goto(snapshot_url)
    page.locator("#block-report form button").click()
    b.success()
    page.locator("#block-report a").click()
    y.document_files(b, pdf=block == "K1")
    settings.TASKS = IMMEDIATE


# 5. The block's year-end meeting and its secret vote ----------------------------------------


def block_votes(b: Browser, settings: Any, heads: dict[str, dict[str, str]]) -> None:
    settings.THIDUA_TODAY = "2021-11-26"
    for block, logins in heads.items():
        block_vote(b, settings, block, logins)


def block_vote(b: Browser, settings: Any, block: str, logins: dict[str, str]) -> None:
    """The leader chairs the year-end meeting (Khối 1's was called in the demo; Khối 2's
    leader calls it here): the roll, the quorum, the secret ballot on every head's phone or
    laptop, the count naming the leading unit, then the minutes and the tally minutes."""
    c = cycle(block)
    leader = logins[c.term.leader.code]
    winner = unit(WINNERS[block])
    runner_up = next(code for code in member_codes(block) if code != winner.code)
    page = b.as_(leader)
    meeting = y.meeting_of(c)
    if meeting is None:
        b.go(f"/voting/terms/{c.term_id}/new/")
        page.fill("#id_held_on", settings.THIDUA_TODAY)
        page.fill("#id_place", "Hội trường Thư viện thành phố")
        page.select_option("#id_secretary", label=y.full_name(logins[y.deputy_code(c)]))
        page.locator("form button[type=submit]").click()
        b.success()
        meeting = y.meeting_of(c)
        assert meeting is not None
        page.locator(f'a[href$="/meetings/{meeting.pk}/agenda/"]').click()
        page.fill("#id_title", f"Bỏ phiếu kín suy tôn đơn vị dẫn đầu {c.term.block.name}")
        for box in page.locator("input[name=units]").all():
            box.check()
        page.locator("form button[type=submit]").click()
        b.success()
    else:
        b.go(f"/voting/meetings/{meeting.pk}/")
    for box in page.locator("#roll input[name=present]").all():
        box.check()
    b.press("/attendance/", within="#roll")
    b.success()
    expect(page.locator("#quorum")).to_contain_text("7")
    b.press("/open/", within=".agenda-item")
    b.success()
    vote = y.open_vote(meeting)
    if block == "K1":
        for code in member_codes(block):
            page = b.as_(logins[code])
            b.go(f"/voting/votes/{vote.pk}/ballot/")
            # No unit votes for itself: the leading unit's head chooses the runner-up.
            choice = winner if code != winner.code else unit(runner_up)
            page.locator("#ballot-form label", has_text=choice.name).click()
            if code == "QLDL":
                screenshot(page, "year-07-ballot-tuan")
            page.locator("#ballot-form button[type=submit]").click()
            b.success()
    else:
        y.cast_ballots(vote, logins, winner, unit(runner_up))
    page = b.as_(leader)
    b.go(f"/voting/meetings/{meeting.pk}/")
    b.press(f"/votes/{vote.pk}/close/")
    b.success()
    expect(page.locator("#tally-rows")).to_contain_text(winner.name)
    screenshot(page, f"year-08-tally-{block.lower()}")
    b.go(f"/voting/meetings/{meeting.pk}/")
    b.press(f"/meetings/{meeting.pk}/close/")
    b.success()
    # The meeting's secretary (the deputy) issues the tally minutes and the minutes.
    settings.TASKS = IMMEDIATE if block == "K1" else QUEUED
    page = b.as_(logins[y.deputy_code(c)])
    b.go(f"/voting/votes/{vote.pk}/result/")
    b.press(f"/votes/{vote.pk}/tally-minutes/", within="#tally-minutes")
    b.success()
    name, data = b.download(page.locator("#tally-minutes a", has_text="DOCX").first)
    assert name.endswith(".docx") and data.startswith(b"PK")
    b.go(f"/voting/meetings/{meeting.pk}/")
    b.press(f"/meetings/{meeting.pk}/minutes/", within="#minutes")
    b.success()
    name, data = b.download(page.locator("#minutes a", has_text="DOCX").first)
    assert name.endswith(".docx") and data.startswith(b"PK")
    settings.TASKS = IMMEDIATE
    advance(b, leader, c, "leader_elected")


# 6. The blocks' proposals to the Department's council ---------------------------------------


def dossiers(b: Browser, settings: Any, heads: dict[str, dict[str, str]]) -> None:
    """01/12: each leader prepares the dossier proposing the City's emulation flag for the
    block's leading unit: the block's tờ trình drafted from the dossier, signed and uploaded
    with the unit's achievement report; the minutes, ranking, block report and members'
    reports are linked by themselves. Anh Minh also proposes his leading unit for the
    Department's own title. Chị Lan checks each against its checklist and accepts it."""
    settings.THIDUA_TODAY = "2021-12-01"
    for block, logins in heads.items():
        c = cycle(block)
        leader = logins[c.term.leader.code]
        forms = ["CTD_TINH", "TTLDTT"] if block == "K1" else ["CTD_TINH"]
        for form in forms:
            dossier = prepare_dossier(b, leader, c.pk, form)
            if form == "CTD_TINH":
                advance(b, leader, c, "submitted_to_dept")
            page = b.as_("lan")
            b.go(f"/proposals/dossiers/{dossier}/")
            if block == "K1" and form == "CTD_TINH":
                screenshot(page, "year-09-dossier-checklist")
            b.press("/accept/", within="#review")
            b.success()
            assert Dossier.objects.get(pk=dossier).status == Dossier.Status.ACCEPTED


def prepare_dossier(b: Browser, leader: str, cycle_pk: int, form: str) -> int:
    page = b.as_(leader)
    b.go("/proposals/?year=2021")
    prepare = page.locator(f'#prepare form:has(input[name=cycle][value="{cycle_pk}"])')
    prepare.locator("select[name=form]").select_option(form)
    prepare.locator("button").click()
    expect(page.locator("#checklist")).to_be_visible()
    dossier = int(page.url.rstrip("/").rsplit("/", 1)[1])
    name, data = b.download(page.locator(f'a[href$="/dossiers/{dossier}/to-trinh.docx"]'))
    assert name.endswith(".docx") and data.startswith(b"PK")
    for item in ("TO_TRINH", "BAO_CAO_THANH_TICH"):
        page.locator("#upload select[name=item]").select_option(item)
        page.locator("#upload input[type=file]").set_input_files(
            files=[{"name": f"{item}.pdf", "mimeType": "application/pdf", "buffer": y.pdf(item)}]
        )
        page.locator("#upload button").click()
        b.success()
    page.locator("#submit button").click()
    b.success()
    assert Dossier.objects.get(pk=dossier).status == Dossier.Status.SUBMITTED
    return dossier


# 7. The council's session and vote -----------------------------------------------------------


def council(b: Browser, settings: Any, heads: dict[str, dict[str, str]]) -> None:
    """10/12: the council meets on the accepted dossiers. Chị Lan (its secretary) puts them
    on the agenda, one item per title, and records the roll; ông Tùng opens a secret vote
    on each item; bà Thu, anh Minh, chị Lan and ông Tùng agree on their own ballots; the
    counts approve every unit; chị Lan issues the tally minutes and the minutes."""
    settings.THIDUA_TODAY = "2021-12-10"
    # Chị Lan calls the session from the meetings page; the roll is the council's members.
    page = b.as_("lan")
    b.go("/voting/")
    page.locator("#call-council a").first.click()
    page.fill("#id_title", y.COUNCIL_SESSION_TITLE)
    page.fill("#id_held_on", "2021-12-10")
    page.fill("#id_starts_at", "08:00")
    page.fill("#id_place", "Phòng họp Sở")
    page.select_option("#id_chair", label=y.full_name("tung"))
    page.select_option("#id_secretary", label=y.full_name("lan"))
    page.select_option("#id_rule", str(y.council_rule().pk))
    page.locator("form button[type=submit]").click()
    b.success()
    session = y.council_session("2021-12-10")
    b.go("/proposals/?year=2021")
    page.locator("#council select[name=meeting]").select_option(str(session.pk))
    page.locator("#council form button").click()
    b.success()
    b.go(f"/voting/meetings/{session.pk}/")
    for box in page.locator("#roll input[name=present]").all():
        box.check()
    b.press("/attendance/", within="#roll")
    b.success()
    page = b.as_("tung")
    screenshot(page, "year-10-dashboard-tung")
    votes = []
    # One agenda item per title: the City's flag (both blocks), then the Department's own.
    for item in session.agenda.order_by("order"):
        page = b.as_("tung")
        b.go(f"/voting/meetings/{session.pk}/")
        b.press(f"/items/{item.pk}/open/")
        b.success()
        vote = y.open_vote(session)
        votes.append(vote)
        for username in ("thu", "minh", "lan", "tung"):
            page = b.as_(username)
            b.go(f"/voting/votes/{vote.pk}/ballot/")
            for agree in page.locator("#ballot-form label.btn-outline-success").all():
                agree.click()
            if username == "thu" and len(votes) == 1:
                screenshot(page, "year-11-council-ballot-thu")
            page.locator("#ballot-form button[type=submit]").click()
            b.success()
        page = b.as_("tung")
        b.go(f"/voting/meetings/{session.pk}/")
        b.press(f"/votes/{vote.pk}/close/")
        b.success()
        if len(votes) == 1:
            for block in ("K1", "K2"):
                expect(page.locator("#tally-rows")).to_contain_text(unit(WINNERS[block]).name)
            screenshot(page, "year-12-council-result")
    settings.TASKS = QUEUED
    b.go(f"/voting/meetings/{session.pk}/")
    b.press(f"/meetings/{session.pk}/close/")
    b.success()
    page = b.as_("lan")
    for vote in votes:
        b.go(f"/voting/votes/{vote.pk}/result/")
        b.press(f"/votes/{vote.pk}/tally-minutes/", within="#tally-minutes")
        b.success()
    b.go(f"/voting/meetings/{session.pk}/")
    b.press(f"/meetings/{session.pk}/minutes/", within="#minutes")
    b.success()
    name, data = b.download(page.locator("#minutes a", has_text="DOCX").first)
    assert name.endswith(".docx") and data.startswith(b"PK")
    settings.TASKS = IMMEDIATE


# 8. The Department's own decision, the proposal to the City, the City's answer -------------


def to_the_city(b: Browser, settings: Any, heads: dict[str, dict[str, str]]) -> None:
    """Chị Lan drafts the Director's own decision (the Department's title for Khối 1's
    leading unit) and issues it; drafts the Department's proposal of the City's flag for
    both leading units, issues it (the tờ trình, numbered), records it sent on 15/12; on
    28/12 records the City's decision awarding the flag with its original. The flag is in
    the unit's history, where anh Tuấn sees it."""
    settings.THIDUA_TODAY = "2021-12-15"
    page = b.as_("lan")
    b.go("/proposals/?year=2021")
    page.locator("#own-decisions a#draft-all").click()
    expect(page.locator("#draft-rows")).to_contain_text(unit(WINNERS["K1"]).name)
    page.locator("#draft-form button.btn-primary").last.click()
    b.success()
    screenshot(page, "year-13-director-decision")
    page.locator("#decision-document a").click()
    y.document_files(b, pdf=False)
    b.go("/proposals/?year=2021")
    expect(page.locator("#own-decisions")).not_to_contain_text(unit(WINNERS["K1"]).name)
    page.locator('#upward form:has(input[name=form][value="CTD_TINH"]) button').click()
    expect(page.locator("#issue")).to_be_visible()
    proposal_url = page.url
    page.fill("#signer_authority", "KT. GIÁM ĐỐC")
    page.fill("#signer_title", "Phó Giám đốc")
    page.fill("#signer_name", "Nguyễn Văn An")
    page.locator("#issue button").click()
    b.success()
    proposal = UpwardProposal.objects.get(form__code="CTD_TINH", year=2021)
    assert proposal.document is not None
    b.go(f"/documents/{proposal.document.pk}/")
    y.document_files(b, pdf=False)
    page.goto(proposal_url)
    page.locator("#status-form select[name=status]").select_option("sent")
    page.fill("#status-form input[name=number]", "45/TTr-SVHTTDL")
    page.locator("#status-form button").click()
    b.success()
    for block in heads:
        advance(b, "lan", cycle(block), "submitted_to_city")
    screenshot(page, "year-14-upward-sent")

    settings.THIDUA_TODAY = "2021-12-28"
    page.goto(proposal_url)
    page.fill("#symbol", "3456/QĐ-UBND")
    page.fill("#issued_on", "2021-12-27")
    page.fill("#signer", "Trần Việt Trường")
    page.locator("#original").set_input_files(
        files=[{"name": "qd-3456-ubnd.pdf", "mimeType": "application/pdf", "buffer": y.pdf("QĐ")}]
    )
    page.locator("#answer-form button").click()
    b.success()
    expect(page.locator("#decision")).to_contain_text("3456/QĐ-UBND")
    screenshot(page, "year-15-city-decision-recorded")
    for block in heads:
        advance(b, "lan", cycle(block), "awarded")

    page = b.as_("tuan")
    b.go(f"/org/units/{unit('QLDL').pk}/")
    history = page.locator("body")
    expect(history).to_contain_text("Cờ thi đua của Ủy ban nhân dân thành phố")
    expect(history).to_contain_text("3456/QĐ-UBND")
    screenshot(page, "year-16-award-in-unit-history")
    page = b.as_("lan")
    b.go("/")
    screenshot(page, "year-17-dashboard-lan")
    assert cycle("K1").state == cycle("K2").state == "awarded"


# 9. Every page of the finished year ----------------------------------------------------------


def every_page_after_the_year(b: Browser, settings: Any, heads: dict[str, dict[str, str]]) -> None:
    """With the year played, the pages that only exist late in it (matrices, rankings,
    tallies, minutes, dossiers, decisions, the register) are all linked from somewhere:
    each persona follows every link from the home page, and none fails."""
    from django.test import Client

    from thidua.org.models import User

    for username in PERSONAS:
        client = Client()
        client.force_login(User.objects.get(username=username))
        pages, failures = crawl(client)
        assert pages > 50, (username, pages)
        assert not failures, (username, failures)
