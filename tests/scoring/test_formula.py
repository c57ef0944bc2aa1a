"""The formula language: what parses, what it computes, and what is refused, with where."""

from __future__ import annotations

from decimal import Decimal

import pytest

from thidua.scoring.formula import (
    MAX_DEPTH,
    MAX_LENGTH,
    FormulaEvalError,
    FormulaSyntaxError,
    parse,
)

D = Decimal
ENV = {
    "value": D(80),
    "target": D(90),
    "max_points": D(10),
    "block_max": D(100),
    "block_min": D(50),
    "block_avg": D(75),
    "best_value": D(100),
}


def value_of(text: str, **env: Decimal | None) -> Decimal:
    return parse(text).evaluate({**ENV, **env})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 + 2 * 3", D(7)),
        ("(1 + 2) * 3", D(9)),
        ("10 - 4 - 3", D(3)),  # left-associative
        ("12 / 4 / 3", D(1)),
        ("-2 * 3", D(-6)),
        ("-(2 + 3) * 2", D(-10)),
        ("2 * -3", D(-6)),
        ("--4", D(4)),
        ("0.5 + 0.25", D("0.75")),
        ("max(1, 7, 3)", D(7)),
        ("min(4, 2.5)", D("2.5")),
        ("abs(3 - 10)", D(7)),
        ("round(2.345, 2)", D("2.35")),  # half up, not banker's
        ("round(2.5, 0)", D(3)),
        ("if(1 < 2, 5, 6)", D(5)),
        ("if(1 >= 2 or 3 != 3, 5, 6)", D(6)),
        ("if(not 1 = 1 and 2 > 1, 5, 6)", D(6)),
        ("if(2 == 2, 1, 0)", D(1)),
        ("if(value >= target, max_points, 0)", D(0)),
    ],
)
def test_arithmetic_comparisons_and_functions(text: str, expected: Decimal) -> None:
    assert value_of(text) == expected


def test_relative_to_the_best_unit_capped_at_the_maximum() -> None:
    formula = "min(max_points, max_points * value / best_value)"
    assert value_of(formula) == D(8)
    assert value_of(formula, value=D(100)) == D(10)
    assert value_of(formula, value=D(120)) == D(10)  # capped


def test_a_threshold_table_by_nested_if() -> None:
    formula = "if(value >= 95, max_points, if(value >= 90, 7, if(value >= 80, 4, 0)))"
    assert [value_of(formula, value=D(v)) for v in (99, 95, 92, 80, 79)] == [10, 10, 7, 4, 0]


def test_variables_used_are_reported() -> None:
    assert parse("min(max_points, value / block_avg)").variables == {
        "max_points",
        "value",
        "block_avg",
    }


def test_if_only_evaluates_the_branch_taken() -> None:
    # A block where nobody has a value yet would otherwise divide by zero.
    assert value_of("if(best_value = 0, 0, value / best_value)", best_value=D(0)) == D(0)


def error_of(text: str) -> FormulaSyntaxError:
    with pytest.raises(FormulaSyntaxError) as caught:
        parse(text)
    return caught.value


@pytest.mark.parametrize(
    ("text", "position", "words"),
    [
        ("min(value, 3", 13, "Missing closing parenthesis at position 13"),
        ("(1 + 2", 7, "Missing closing parenthesis"),
        ("1 + 2)", 6, "Unmatched closing parenthesis at position 6"),
        ("1 +", 4, "ends too early"),
        ("   gia_tri + 1", 4, "Unknown variable “gia_tri” at position 4"),
        ("giá_trị", 3, "without accents"),
        ("1,5 * value", 2, "write decimals with a point"),
        ("round(2,5, 1)", 1, "“,” separates arguments"),
        ("foo(1)", 1, "Unknown function “foo”"),
        ("value and 1 > 0", 1, "condition"),
        ("if(value, 1, 2)", 4, "condition"),
        ("1 < 2 < 3", 7, "cannot be chained"),
        ("value > 3", 1, "must give a number"),
        ("min(1)", 1, "at least 2"),
        ("3 value", 3, "Unexpected “value” at position 3"),
        ("", 1, "empty"),
        ("1.", 2, "digits after the decimal point"),
        ("! value", 1, "not"),
    ],
)
def test_syntax_errors_say_where(text: str, position: int, words: str) -> None:
    error = error_of(text)
    assert error.position == position
    assert words in error.message


@pytest.mark.parametrize(
    "text",
    [
        "__import__('os').system('ls')",
        "__import__",
        "value.__class__",
        "max_points.real",
        "'text'",
        '"text"',
        "value[0]",
        "lambda: 1",
        "open",
        "exec(1)",
        "eval(1)",
        "value ** 2",
        "value; 1",
        "value # comment",
        "{}",
    ],
)
def test_anything_beyond_the_language_is_refused(text: str) -> None:
    with pytest.raises(FormulaSyntaxError) as caught:
        parse(text)
    assert caught.value.position is not None


def test_the_length_and_depth_are_limited() -> None:
    assert error_of("1+" * (MAX_LENGTH // 2) + "1").message.startswith("The formula is too long")
    deep = "(" * (MAX_DEPTH + 1) + "1" + ")" * (MAX_DEPTH + 1)
    assert "nested too deeply" in error_of(deep).message
    assert "nested too deeply" in error_of("-" * (MAX_DEPTH + 1) + "1").message
    nested_calls = "abs(" * (MAX_DEPTH + 1) + "1" + ")" * (MAX_DEPTH + 1)
    assert "nested too deeply" in error_of(nested_calls).message
    assert parse("(" * 10 + "1" + ")" * 10).evaluate({}) == 1


def test_a_huge_number_is_refused() -> None:
    assert "too long" in error_of("1" * 40).message


def test_division_by_zero_names_the_operation() -> None:
    with pytest.raises(FormulaEvalError) as caught:
        value_of("max_points * value / best_value", best_value=D(0))
    assert caught.value.operation == "division"
    assert caught.value.position == 20


def test_a_missing_value_names_the_variable() -> None:
    with pytest.raises(FormulaEvalError) as caught:
        value_of("max_points * value / best_value", value=None)
    assert caught.value.variable == "value"
    assert "“value”" in caught.value.message


def test_round_needs_whole_places() -> None:
    with pytest.raises(FormulaEvalError) as caught:
        value_of("round(value, 0.5)")
    assert caught.value.operation == "round"


def test_the_tree_is_immutable() -> None:
    formula = parse("1 + value")
    with pytest.raises(AttributeError):
        formula.tree.op = "-"  # type: ignore[misc,union-attr]
