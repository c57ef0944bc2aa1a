"""Publishing the verification, the unit's answers (giải trình) within the window, the second
review, the lock that waits for it, and the block's year moving along (issue 4, Scoring 2)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from thidua.campaigns.cycle import CycleState
from thidua.campaigns.models import BlockCycle, CycleStep
from thidua.org.models import Unit, User
from thidua.reports.models import Period
from thidua.scoring.models import RankingSnapshot, ScoreEntry, ScoringRound
from thidua.scoring.selectors import results
from thidua.scoring.selectors import tables as table_selectors
from thidua.scoring.services import answers, rankings, rounds, self_scores, verification

from ..reports.helpers import head_of
from .scores_helpers import all_points, leader, open_round, self_and_verify, unit

pytestmark = pytest.mark.django_db

UNTIL = dt.date(2021, 1, 10)  # THIDUA_TODAY is 2021-01-04 in the tests


def cycle() -> BlockCycle:
    return BlockCycle.objects.get(term__block__code="K1", campaign__year=2021)


def hoa() -> User:
    return User.objects.get(username="hoa")


def member_codes(round_: ScoringRound) -> list[str]:
    ids = table_selectors.block_unit_ids(round_.table)
    return [Unit.objects.get(pk=pk).code for pk in ids]


def verified_round(changed: dict[str, str] | None = None) -> ScoringRound:
    """A year-end round where every member is verified; QLDL's 2.1 and 2.2 were claimed at
    10 and verified lower, with reasons."""
    round_ = open_round()
    for code in member_codes(round_):
        self_and_verify(round_, code, all_points(round_))
    verification.verify(
        actor=leader(),
        round_=round_,
        unit=unit("QLDL"),
        points={"2.1": Decimal(6), "2.2": Decimal(7)},
        reasons={"2.1": "Thiếu minh chứng.", "2.2": "Chưa đúng hạn."},
    )
    return round_


def published() -> ScoringRound:
    round_ = verified_round()
    verification.publish_verification(actor=leader(), round_=round_, answer_until=UNTIL)
    round_.refresh_from_db()
    return round_


def entry(code: str, item: str) -> ScoreEntry:
    return ScoreEntry.objects.get(sheet__unit=unit(code), item__code=item)


# Publishing the verification --------------------------------------------------------------------


def test_the_verification_is_published_only_once_every_unit_is_verified(persona) -> None:
    round_ = open_round()
    self_and_verify(round_, "QLDL", all_points(round_))
    self_scores.self_score(
        actor=head_of("VP"), round_=round_, unit=unit("VP"), points=all_points(round_)
    )
    with pytest.raises(ValidationError) as error:
        verification.publish_verification(actor=leader(), round_=round_, answer_until=UNTIL)
    message = error.value.messages[0]
    assert "not fully verified" in message and str(unit("VP")) in message
    assert str(unit("QLDL")) not in message
    for code in member_codes(round_):
        if code != "QLDL":
            self_and_verify(round_, code, all_points(round_))
    with pytest.raises(PermissionDenied):
        verification.publish_verification(actor=persona("tuan"), round_=round_, answer_until=UNTIL)
    with pytest.raises(ValidationError, match="cannot be in the past"):
        verification.publish_verification(
            actor=leader(), round_=round_, answer_until=dt.date(2021, 1, 3)
        )
    verification.publish_verification(actor=leader(), round_=round_, answer_until=UNTIL)
    round_.refresh_from_db()
    assert round_.verification_published_at is not None and round_.answer_until == UNTIL
    # After publication a score changes only by the second review.
    with pytest.raises(ValidationError, match="only by the second review"):
        verification.verify(
            actor=leader(),
            round_=round_,
            unit=unit("QLDL"),
            points={"2.1": Decimal(1)},
            reasons={"2.1": "x"},
        )


def test_the_year_end_moves_to_scored_then_scores_final(settings) -> None:
    BlockCycle.objects.filter(pk=cycle().pk).update(state=CycleState.REPORTS_COLLECTED)
    round_ = verified_round()
    verification.publish_verification(actor=leader(), round_=round_, answer_until=UNTIL)
    assert cycle().state == CycleState.SCORED
    step = CycleStep.objects.filter(cycle=cycle()).latest("pk")
    assert (step.target, step.note) == (CycleState.SCORED, "scoring")
    # QLDL may still answer its changed scores: no lock before the window ends.
    with pytest.raises(ValidationError) as error:
        rounds.round_lock(actor=leader(), round_=round_)
    assert error.value.messages == [
        f"Units may answer until 10/01/2021; not answered yet: {unit('QLDL').name}."
    ]
    assert cycle().state == CycleState.SCORED
    settings.THIDUA_TODAY = "2021-01-11"
    rounds.round_lock(actor=leader(), round_=round_)
    assert cycle().state == CycleState.SCORES_FINAL


def test_the_mid_year_round_does_not_move_the_year() -> None:
    BlockCycle.objects.filter(pk=cycle().pk).update(state=CycleState.REPORTS_COLLECTED)
    table = open_round().table
    round_ = rounds.round_open(actor=leader(), table=table, period=Period.MIDYEAR)
    for code in member_codes(round_):
        self_and_verify(round_, code, all_points(round_))
    verification.publish_verification(actor=leader(), round_=round_, answer_until=UNTIL)
    rounds.round_lock(actor=leader(), round_=round_)
    assert cycle().state == CycleState.REPORTS_COLLECTED


# Answers ----------------------------------------------------------------------------------------


def test_the_head_answers_changed_scores_within_the_window(persona, settings) -> None:
    round_ = published()
    tuan = persona("tuan")
    with pytest.raises(ValidationError) as error:
        answers.answer(actor=tuan, round_=round_, unit=unit("QLDL"), answers={"2.3": "Đã làm đủ."})
    assert "2.3: only a score the verification changed can be answered." in error.value.messages
    with pytest.raises(PermissionDenied):
        answers.answer(actor=persona("hoa"), round_=round_, unit=unit("QLDL"), answers={"2.1": "x"})
    answers.answer(
        actor=tuan, round_=round_, unit=unit("QLDL"), answers={"2.1": "Có minh chứng số 12."}
    )
    answers.answer(
        actor=tuan, round_=round_, unit=unit("QLDL"), answers={"2.1": "Có minh chứng số 12."}
    )
    assert entry("QLDL", "2.1").answer == "Có minh chứng số 12."
    assert entry("QLDL", "2.1").answered_by == tuan
    # The last day is still open; the day after is not.
    settings.THIDUA_TODAY = "2021-01-10"
    answers.answer(actor=tuan, round_=round_, unit=unit("QLDL"), answers={"2.2": "Đúng hạn."})
    settings.THIDUA_TODAY = "2021-01-11"
    with pytest.raises(ValidationError, match="The time to answer ended on 10/01/2021"):
        answers.answer(actor=tuan, round_=round_, unit=unit("QLDL"), answers={"2.2": "Sửa."})
    assert entry("QLDL", "2.2").answer == "Đúng hạn."


def test_no_answer_before_the_verification_is_published(persona) -> None:
    round_ = verified_round()
    with pytest.raises(ValidationError, match="not published yet"):
        answers.answer(
            actor=persona("tuan"), round_=round_, unit=unit("QLDL"), answers={"2.1": "x"}
        )


# The second review ------------------------------------------------------------------------------


def test_the_second_review_waits_for_the_answers_or_the_end_of_the_window(
    persona, settings
) -> None:
    round_ = published()
    tuan = persona("tuan")
    answers.answer(actor=tuan, round_=round_, unit=unit("QLDL"), answers={"2.1": "Có minh chứng."})
    with pytest.raises(ValidationError, match="waits until the time to answer ends"):
        answers.second_review(
            actor=leader(), round_=round_, unit=unit("QLDL"), points={"2.1": Decimal(6)}
        )
    # Every changed score answered: the review may start before the window ends.
    answers.answer(actor=tuan, round_=round_, unit=unit("QLDL"), answers={"2.2": "Đúng hạn."})
    with pytest.raises(ValidationError, match=r"2\.1: give the reason for changing"):
        answers.second_review(
            actor=leader(), round_=round_, unit=unit("QLDL"), points={"2.1": Decimal(9)}
        )
    answers.second_review(
        actor=leader(),
        round_=round_,
        unit=unit("QLDL"),
        points={"2.1": Decimal(9), "2.2": Decimal(7)},
        reasons={"2.1": "Minh chứng hợp lệ."},
    )
    assert entry("QLDL", "2.1").review_points == Decimal(9)
    assert entry("QLDL", "2.1").review_reason == "Minh chứng hợp lệ."
    assert entry("QLDL", "2.2").review_points == Decimal(7)
    # The second review's points are final.
    row = next(r for r in results.block_results(round_).rows if r.unit.code == "QLDL")
    assert row.final.by_code()["2.1"].points == Decimal("9.00")
    # An answer after the review is refused.
    with pytest.raises(ValidationError, match="second review has settled it"):
        answers.answer(actor=tuan, round_=round_, unit=unit("QLDL"), answers={"2.1": "Thêm."})


def test_after_the_window_only_answered_scores_are_reviewed(persona, settings) -> None:
    round_ = published()
    answers.answer(actor=persona("tuan"), round_=round_, unit=unit("QLDL"), answers={"2.1": "Có."})
    settings.THIDUA_TODAY = "2021-01-11"
    with pytest.raises(ValidationError, match=r"2\.2 has no answer to review"):
        answers.second_review(
            actor=leader(), round_=round_, unit=unit("QLDL"), points={"2.2": Decimal(8)}
        )
    answers.second_review(
        actor=leader(), round_=round_, unit=unit("QLDL"), points={"2.1": Decimal(6)}
    )
    assert entry("QLDL", "2.1").review_points == Decimal(6)


def test_a_unit_never_reviews_its_own_scores(persona, settings) -> None:
    round_ = open_round()
    for code in member_codes(round_):
        self_and_verify(round_, code, all_points(round_))
    verification.verify(
        actor=hoa(),
        round_=round_,
        unit=unit("QLVHGD"),
        points={"2.1": Decimal(5)},
        reasons={"2.1": "Thiếu."},
    )
    verification.publish_verification(actor=leader(), round_=round_, answer_until=UNTIL)
    answers.answer(actor=leader(), round_=round_, unit=unit("QLVHGD"), answers={"2.1": "Đủ."})
    with pytest.raises(PermissionDenied, match="never reviews its own"):
        answers.second_review(
            actor=leader(), round_=round_, unit=unit("QLVHGD"), points={"2.1": Decimal(10)}
        )
    answers.second_review(
        actor=hoa(),
        round_=round_,
        unit=unit("QLVHGD"),
        points={"2.1": Decimal(8)},
        reasons={"2.1": "Chấp nhận một phần."},
    )
    assert entry("QLVHGD", "2.1").review_points == Decimal(8)


def test_the_lock_waits_for_every_answer_to_be_reviewed(persona) -> None:
    round_ = published()
    answers.answer(
        actor=persona("tuan"),
        round_=round_,
        unit=unit("QLDL"),
        answers={"2.1": "Có.", "2.2": "Đúng hạn."},
    )
    with pytest.raises(ValidationError) as error:
        rounds.round_lock(actor=leader(), round_=round_)
    assert f"{unit('QLDL').name} (2.1, 2.2)" in error.value.messages[0]
    answers.second_review(
        actor=leader(),
        round_=round_,
        unit=unit("QLDL"),
        points={"2.1": Decimal(6), "2.2": Decimal(7)},
    )
    rounds.round_lock(actor=leader(), round_=round_)
    round_.refresh_from_db()
    assert round_.is_locked
    with pytest.raises(ValidationError, match="locked"):
        answers.answer(
            actor=persona("tuan"), round_=round_, unit=unit("QLDL"), answers={"2.1": "x"}
        )


def test_the_ranking_opens_down_to_answers_and_reviews(persona, login, settings) -> None:
    round_ = published()
    answers.answer(
        actor=persona("tuan"), round_=round_, unit=unit("QLDL"), answers={"2.1": "Có hồ sơ."}
    )
    settings.THIDUA_TODAY = "2021-01-11"  # the window has closed
    answers.second_review(
        actor=leader(),
        round_=round_,
        unit=unit("QLDL"),
        points={"2.1": Decimal(8)},
        reasons={"2.1": "Hồ sơ hợp lệ."},
    )
    rounds.round_lock(actor=leader(), round_=round_)
    snapshot = rankings.publish(actor=leader(), round_=round_)
    qldl = next(r for r in snapshot.rows if r["unit"] == "QLDL")
    item = next(i for i in qldl["items"] if i["code"] == "2.1")
    assert item["points"] == "8.00" and item["verified"] == "6.00"
    assert (item["answer"], item["review"]) == ("Có hồ sơ.", "8.00")
    assert item["review_reason"] == "Hồ sơ hợp lệ." and item["method"] == "verified"
    client = login("tuan")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("scoring_snapshot", args=[snapshot.pk])).content.decode()
    assert "Answer: Có hồ sơ." in page and "Second review: 8.00 (Hồ sơ hợp lệ.)" in page
    assert RankingSnapshot.objects.count() == 1


# Pages ------------------------------------------------------------------------------------------


@pytest.fixture
def english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_publish_answer_and_review_through_the_pages(login, english, settings) -> None:
    round_ = verified_round()
    matrix = reverse("scoring_matrix", args=[round_.table_id, round_.period])
    client = login("minh")
    assert "publish-verification" in client.get(matrix).content.decode()
    client.post(
        reverse("scoring_publish_verification", args=[round_.pk]), {"answer_until": "2021-01-10"}
    )
    round_.refresh_from_db()
    assert round_.answer_until == UNTIL
    page = client.get(matrix).content.decode()
    assert "units may answer until 10/01/2021" in page

    client = login("tuan")
    self_page = client.get(reverse("scoring_self", args=[round_.pk, unit("QLDL").pk]))
    answer_url = reverse("scoring_answer", args=[round_.pk, unit("QLDL").pk])
    assert answer_url in self_page.content.decode()
    page = client.get(answer_url).content.decode()
    assert "answer-2.1" in page and "answer-2.3" not in page and "Thiếu minh chứng." in page
    client.post(answer_url, {"answer-2.1": "Có minh chứng.", "answer-2.2": "Đúng hạn."})
    assert entry("QLDL", "2.1").answer == "Có minh chứng."
    assert client.get(reverse("scoring_answer", args=[round_.pk, unit("VP").pk])).status_code == 403

    client = login("minh")
    review_url = reverse("scoring_review", args=[round_.pk, unit("QLDL").pk])
    assert review_url in client.get(matrix).content.decode()
    assert "Answers waiting for the second review" in client.get(matrix).content.decode()
    response = client.post(review_url, {"review-2.1": "9", "review-2.2": "7"})
    assert response.status_code == 400
    assert "2.1: give the reason for changing the verified score." in response.content.decode()
    client.post(review_url, {"review-2.1": "9", "reason-2.1": "Hợp lệ.", "review-2.2": "7"})
    assert entry("QLDL", "2.1").review_points == Decimal(9)
    own = reverse("scoring_review", args=[round_.pk, unit("QLVHGD").pk])
    assert client.get(own).status_code == 403
    settings.THIDUA_TODAY = "2021-01-11"
    page = login("tuan").get(answer_url).content.decode()
    assert "answer-closed" in page


def test_a_correction_after_the_lock_replaces_the_second_review(persona) -> None:
    round_ = published()
    answers.answer(
        actor=persona("tuan"),
        round_=round_,
        unit=unit("QLDL"),
        answers={"2.1": "Có.", "2.2": "Đúng hạn."},
    )
    answers.second_review(
        actor=leader(),
        round_=round_,
        unit=unit("QLDL"),
        points={"2.1": Decimal(8), "2.2": Decimal(7)},
        reasons={"2.1": "Hợp lệ."},
    )
    rounds.round_lock(actor=leader(), round_=round_)
    rankings.correct(
        actor=leader(),
        round_=round_,
        unit=unit("QLDL"),
        code="2.1",
        points=Decimal(9),
        reason="Sai sót khi tổng hợp.",
    )
    row = next(r for r in results.block_results(round_).rows if r.unit.code == "QLDL")
    assert row.final.by_code()["2.1"].points == Decimal("9.00")
    assert entry("QLDL", "2.1").review_reason == "Sai sót khi tổng hợp."
