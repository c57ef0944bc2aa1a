"""The number series of an issuer, a type and a year (ND 30 Art. 15): the counter, the order
of dates, and how a number and symbol are printed."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from ..models import DocumentType, IssuedDocument, IssuingBody, NumberCounter


def format_number(number: int) -> str:
    # ND 30 Phụ lục I: numbers below 10 take a leading zero ("Số: 05/…").
    return f"{number:02d}"


def format_symbol(number: int, doc_type: DocumentType, issuer: IssuingBody) -> str:
    return f"{format_number(number)}/{doc_type.code}-{issuer.symbol}"


def download_name(document: IssuedDocument, extension: str) -> str:
    """ "KH-12-SVHTTDL-2021.pdf": type, number ("kso" when unnumbered), issuer, year."""
    number = format_number(document.number) if document.number else "kso"
    return f"{document.doc_type.code}-{number}-{document.issuer.symbol}-{document.year}.{extension}"


def locked_counter(issuer: IssuingBody, year: int, doc_type: DocumentType) -> NumberCounter:
    """The series' counter, its row locked until the transaction ends.

    The first issue of a series creates the row; two first issues at once both try, the
    loser's INSERT fails on the unique constraint inside its own savepoint, and it then
    waits on the winner's row like everyone else.
    """
    series = NumberCounter.objects.select_for_update().filter(
        issuer=issuer, year=year, doc_type=doc_type
    )
    counter = series.first()
    if counter is not None:
        return counter
    try:
        with transaction.atomic():
            NumberCounter.objects.create(issuer=issuer, year=year, doc_type=doc_type)
    except IntegrityError:
        pass
    return series.get()


def check_date_order(issuer: IssuingBody, doc_type: DocumentType, issued_on: dt.date) -> None:
    # ND 30 Art. 15(1): numbers and dates follow the order of issue in the year, so a new
    # number never carries an earlier date than the number before it.
    latest = IssuedDocument.objects.filter(
        issuer=issuer, doc_type=doc_type, year=issued_on.year, number__isnull=False
    ).aggregate(latest=Max("issued_on"))["latest"]
    if latest is not None and issued_on < latest:
        raise ValidationError(
            {
                "issued_on": _(
                    "The previous %(type)s of %(issuer)s was issued on %(date)s; numbers "
                    "follow the order of issue, so this one cannot be dated earlier."
                )
                % {"type": doc_type.name, "issuer": issuer.symbol, "date": _fmt(latest)}
            }
        )


def _fmt(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")
