"""One evaluation as plain JSON-ready data, the same for the command and the API: each title
with its verdict, each condition with its rule, legal basis, inputs and verdict."""

from __future__ import annotations

import datetime as dt
from typing import Any

from . import rules


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def condition_data(result: rules.ConditionResult) -> dict[str, Any]:
    rule = result.rule
    return {
        "key": rule.key,
        "kind": rule.kind,
        "rule": _plain(dict(rule.params)),
        "group": rule.group,
        "legal_basis": rule.legal_basis,
        "unverified": rule.unverified,
        "pack": rule.pack,
        "inputs": _plain(dict(result.inputs)),
        "verdict": result.verdict.value,
        "explanation": result.explanation,
    }


def evaluation_data(
    *, kind: str, code: str, name: str, year: int, results: list[rules.TitleResult]
) -> dict[str, Any]:
    return {
        "subject": {"kind": kind, "code": code, "name": name},
        "year": year,
        "pack": results[0].pack if results else "",
        "titles": [
            {
                "code": r.title,
                "name": r.title_name,
                "verdict": r.verdict.value,
                "has_conditions": r.has_rules,
                "reasons": rules.reasons(r),
                "conditions": [condition_data(c) for c in r.conditions],
            }
            for r in results
        ],
    }
