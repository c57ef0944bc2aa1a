"""A small, safe expression language for the points of a quantitative criterion.

Users type formulas into a form, so nothing here hands their text to Python: a tokenizer and
a recursive-descent parser build an immutable tree, a type check refuses mixing numbers and
conditions, and an evaluator walks the tree over `Decimal`.

    number      12, 0.5                ("," is refused as a decimal separator: it separates
                                        function arguments)
    variables   value target max_points block_max block_min block_avg best_value
    arithmetic  + - * / and unary minus, with the usual precedence and parentheses
    comparison  < <= > >= = != (also ==), giving a condition
    logic       and, or, not (on conditions)
    functions   if(condition, a, b)   min(a, b, ...)   max(a, b, ...)   abs(a)   round(a, n)

Example: relative to the block's best unit, capped at the maximum:
    min(max_points, max_points * value / best_value)

Positions in errors are 1-based columns, so a form can say "at position 17".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from typing import Literal, NoReturn

from django.utils.translation import gettext as _

MAX_LENGTH = 500
MAX_DEPTH = 25
MAX_NUMBER_DIGITS = 15
MAX_ROUND_PLACES = 6

VARIABLES: tuple[str, ...] = (
    "value",
    "target",
    "max_points",
    "block_max",
    "block_min",
    "block_avg",
    "best_value",
)
FUNCTIONS: dict[str, tuple[int, int | None]] = {
    # name: (fewest arguments, most arguments or None for any number)
    "if": (3, 3),
    "min": (2, None),
    "max": (2, None),
    "abs": (1, 1),
    "round": (2, 2),
}
KEYWORDS = frozenset({"and", "or", "not"})
COMPARISONS = frozenset({"<", "<=", ">", ">=", "=", "!="})

Type = Literal["number", "condition"]


class FormulaError(Exception):
    """Any problem with a formula; `position` is a 1-based column or None."""

    def __init__(self, message: str, position: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.position = position


class FormulaSyntaxError(FormulaError):
    """The text is not a valid formula: refused when it is saved."""


class FormulaEvalError(FormulaError):
    """The formula cannot be computed for one unit (a missing value, a division by zero).

    `variable` names the missing input, `operation` the failed operation, so the caller
    can mark that unit's criterion as "cannot compute" and go on with the others.
    """

    def __init__(
        self,
        message: str,
        position: int | None = None,
        *,
        variable: str = "",
        operation: str = "",
    ) -> None:
        super().__init__(message, position)
        self.variable = variable
        self.operation = operation


# The tree ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Num:
    value: Decimal
    pos: int


@dataclass(frozen=True)
class Var:
    name: str
    pos: int


@dataclass(frozen=True)
class Unary:
    op: str  # "-" or "not"
    operand: Node
    pos: int


@dataclass(frozen=True)
class Binary:
    op: str
    left: Node
    right: Node
    pos: int


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple[Node, ...]
    pos: int


Node = Num | Var | Unary | Binary | Call


@dataclass(frozen=True)
class Token:
    kind: str  # "number", "name", "op", "end"
    text: str
    pos: int


# Tokenizer -----------------------------------------------------------------------------------

_SINGLE = set("+-*/(),")
_QUOTES = set("\"'`“”‘’")


def _is_ascii_letter(ch: str) -> bool:
    return ch.isascii() and (ch.isalpha() or ch == "_")


def _is_ascii_digit(ch: str) -> bool:
    return ch.isascii() and ch.isdigit()


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        pos = i + 1
        if ch.isspace():
            i += 1
        elif ch.isascii() and ch.isdigit():
            j = i
            while j < n and text[j].isascii() and text[j].isdigit():
                j += 1
            if j < n and text[j] == ".":
                j += 1
                if not (j < n and text[j].isascii() and text[j].isdigit()):
                    raise FormulaSyntaxError(
                        _("A number needs digits after the decimal point at position %(pos)s.")
                        % {"pos": j},
                        j,
                    )
                while j < n and text[j].isascii() and text[j].isdigit():
                    j += 1
            literal = text[i:j]
            if len(literal.replace(".", "")) > MAX_NUMBER_DIGITS:
                raise FormulaSyntaxError(
                    _("The number at position %(pos)s is too long.") % {"pos": pos}, pos
                )
            if j < n and (_is_ascii_letter(text[j]) or text[j] == "."):
                raise FormulaSyntaxError(
                    _("Unexpected “%(text)s” after a number at position %(pos)s.")
                    % {"text": text[j], "pos": j + 1},
                    j + 1,
                )
            tokens.append(Token("number", literal, pos))
            i = j
        elif _is_ascii_letter(ch):
            j = i
            while j < n and (
                _is_ascii_letter(text[j]) or (text[j].isascii() and text[j].isdigit())
            ):
                j += 1
            if j < n and text[j].isalpha():
                raise FormulaSyntaxError(
                    _(
                        "Names in formulas use letters without accents only: “%(ch)s” at "
                        "position %(pos)s."
                    )
                    % {"ch": text[j], "pos": j + 1},
                    j + 1,
                )
            tokens.append(Token("name", text[i:j], pos))
            i = j
        elif ch in "<>!=":
            two = text[i : i + 2]
            if two in ("<=", ">=", "!=", "=="):
                tokens.append(Token("op", "=" if two == "==" else two, pos))
                i += 2
            elif ch == "!":
                raise FormulaSyntaxError(
                    _("Use “not” instead of “!” at position %(pos)s.") % {"pos": pos}, pos
                )
            else:
                tokens.append(Token("op", ch, pos))
                i += 1
        elif ch in _SINGLE:
            tokens.append(Token("op", ch, pos))
            i += 1
        elif ch in _QUOTES:
            raise FormulaSyntaxError(
                _("Text in quotes is not allowed in a formula (position %(pos)s).") % {"pos": pos},
                pos,
            )
        elif ch == ".":
            raise FormulaSyntaxError(
                _("Unexpected “.” at position %(pos)s: only numbers may contain a point.")
                % {"pos": pos},
                pos,
            )
        elif ch.isalpha():
            raise FormulaSyntaxError(
                _(
                    "Names in formulas use letters without accents only: “%(ch)s” at "
                    "position %(pos)s."
                )
                % {"ch": ch, "pos": pos},
                pos,
            )
        else:
            raise FormulaSyntaxError(
                _("Unexpected character “%(ch)s” at position %(pos)s.") % {"ch": ch, "pos": pos},
                pos,
            )
    tokens.append(Token("end", "", n + 1))
    return tokens


# Parser --------------------------------------------------------------------------------------


class _Parser:
    """Precedence, lowest first: or, and, not, comparison, + -, * /, unary -, primary."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.i = 0
        self.depth = 0

    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def advance(self) -> Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def at(self, kind: str, text: str | None = None) -> bool:
        tok = self.tok
        return tok.kind == kind and (text is None or tok.text == text)

    def deeper(self, pos: int) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise FormulaSyntaxError(
                _("The formula is nested too deeply at position %(pos)s (at most %(n)s levels).")
                % {"pos": pos, "n": MAX_DEPTH},
                pos,
            )

    def parse(self) -> Node:
        if self.at("end"):
            raise FormulaSyntaxError(_("The formula is empty."), 1)
        node = self.expression()
        if not self.at("end"):
            self.unexpected()
        return node

    def expression(self) -> Node:
        return self.or_expr()

    def or_expr(self) -> Node:
        node = self.and_expr()
        while self.at("name", "or"):
            pos = self.advance().pos
            node = Binary("or", node, self.and_expr(), pos)
        return node

    def and_expr(self) -> Node:
        node = self.not_expr()
        while self.at("name", "and"):
            pos = self.advance().pos
            node = Binary("and", node, self.not_expr(), pos)
        return node

    def not_expr(self) -> Node:
        if self.at("name", "not"):
            pos = self.advance().pos
            self.deeper(pos)
            node: Node = Unary("not", self.not_expr(), pos)
            self.depth -= 1
            return node
        return self.comparison()

    def comparison(self) -> Node:
        node = self.additive()
        if self.tok.kind == "op" and self.tok.text in COMPARISONS:
            tok = self.advance()
            node = Binary(tok.text, node, self.additive(), tok.pos)
            if self.tok.kind == "op" and self.tok.text in COMPARISONS:
                raise FormulaSyntaxError(
                    _("Comparisons cannot be chained (position %(pos)s); join them with “and”.")
                    % {"pos": self.tok.pos},
                    self.tok.pos,
                )
        return node

    def additive(self) -> Node:
        node = self.term()
        while self.tok.kind == "op" and self.tok.text in ("+", "-"):
            tok = self.advance()
            node = Binary(tok.text, node, self.term(), tok.pos)
        return node

    def term(self) -> Node:
        node = self.unary()
        while self.tok.kind == "op" and self.tok.text in ("*", "/"):
            tok = self.advance()
            node = Binary(tok.text, node, self.unary(), tok.pos)
        return node

    def unary(self) -> Node:
        if self.at("op", "-") or self.at("op", "+"):
            tok = self.advance()
            self.deeper(tok.pos)
            operand = self.unary()
            self.depth -= 1
            return operand if tok.text == "+" else Unary("-", operand, tok.pos)
        return self.primary()

    def primary(self) -> Node:
        tok = self.tok
        if tok.kind == "number":
            self.advance()
            return Num(Decimal(tok.text), tok.pos)
        if tok.kind == "name":
            if tok.text in KEYWORDS:
                self.unexpected()
            self.advance()
            if self.at("op", "("):
                return self.call(tok)
            if tok.text in FUNCTIONS:
                raise FormulaSyntaxError(
                    _("“%(name)s” at position %(pos)s is a function: write %(name)s(…).")
                    % {"name": tok.text, "pos": tok.pos},
                    tok.pos,
                )
            if tok.text not in VARIABLES:
                raise FormulaSyntaxError(
                    _(
                        "Unknown variable “%(name)s” at position %(pos)s; the variables you "
                        "can use: %(names)s."
                    )
                    % {"name": tok.text, "pos": tok.pos, "names": ", ".join(VARIABLES)},
                    tok.pos,
                )
            return Var(tok.text, tok.pos)
        if self.at("op", "("):
            self.advance()
            self.deeper(tok.pos)
            node = self.expression()
            self.depth -= 1
            self.expect_close(tok.pos)
            return node
        self.unexpected()

    def call(self, name: Token) -> Node:
        if name.text not in FUNCTIONS:
            raise FormulaSyntaxError(
                _(
                    "Unknown function “%(name)s” at position %(pos)s; the functions you can "
                    "use: %(names)s."
                )
                % {"name": name.text, "pos": name.pos, "names": ", ".join(FUNCTIONS)},
                name.pos,
            )
        opening = self.advance()
        self.deeper(opening.pos)
        args: list[Node] = []
        if not self.at("op", ")"):
            args.append(self.expression())
            while self.at("op", ","):
                self.advance()
                args.append(self.expression())
        self.depth -= 1
        self.expect_close(opening.pos)
        fewest, most = FUNCTIONS[name.text]
        if len(args) < fewest or (most is not None and len(args) > most):
            expected = str(fewest) if fewest == most else _("at least %(n)s") % {"n": fewest}
            raise FormulaSyntaxError(
                _(
                    "“%(name)s” at position %(pos)s takes %(expected)s arguments, "
                    "not %(given)s (use “.” for decimals: “,” separates arguments)."
                )
                % {
                    "name": name.text,
                    "pos": name.pos,
                    "expected": expected,
                    "given": len(args),
                },
                name.pos,
            )
        return Call(name.text, tuple(args), name.pos)

    def expect_close(self, opened_at: int) -> None:
        if self.at("op", ")"):
            self.advance()
            return
        if self.at("end"):
            raise FormulaSyntaxError(
                _(
                    "Missing closing parenthesis at position %(pos)s "
                    "(for the one opened at position %(open)s)."
                )
                % {"pos": self.tok.pos, "open": opened_at},
                self.tok.pos,
            )
        self.unexpected()

    def unexpected(self) -> NoReturn:
        tok = self.tok
        if tok.kind == "end":
            raise FormulaSyntaxError(
                _("The formula ends too early at position %(pos)s.") % {"pos": tok.pos}, tok.pos
            )
        if tok.text == ",":
            before = self.tokens[self.i - 1] if self.i else None
            after = self.tokens[self.i + 1]
            if before and before.kind == "number" and after.kind == "number":
                raise FormulaSyntaxError(
                    _(
                        "“,” at position %(pos)s: write decimals with a point (for example "
                        "0.5); the comma only separates function arguments."
                    )
                    % {"pos": tok.pos},
                    tok.pos,
                )
        if tok.text == ")":
            raise FormulaSyntaxError(
                _("Unmatched closing parenthesis at position %(pos)s.") % {"pos": tok.pos},
                tok.pos,
            )
        raise FormulaSyntaxError(
            _("Unexpected “%(text)s” at position %(pos)s.") % {"text": tok.text, "pos": tok.pos},
            tok.pos,
        )


# Type check ----------------------------------------------------------------------------------


def _type_error(node: Node, wanted: Type) -> FormulaSyntaxError:
    message = (
        _("A number is needed at position %(pos)s, not a condition.")
        if wanted == "number"
        else _("A condition (a comparison) is needed at position %(pos)s, not a number.")
    )
    return FormulaSyntaxError(message % {"pos": node.pos}, node.pos)


def _check(node: Node, wanted: Type) -> None:
    actual = _infer(node)
    if actual != wanted:
        raise _type_error(node, wanted)


def _infer(node: Node) -> Type:
    if isinstance(node, Num | Var):
        return "number"
    if isinstance(node, Unary):
        _check(node.operand, "condition" if node.op == "not" else "number")
        return "condition" if node.op == "not" else "number"
    if isinstance(node, Binary):
        if node.op in ("and", "or"):
            _check(node.left, "condition")
            _check(node.right, "condition")
            return "condition"
        _check(node.left, "number")
        _check(node.right, "number")
        return "condition" if node.op in COMPARISONS else "number"
    if node.name == "if":
        _check(node.args[0], "condition")
        _check(node.args[1], "number")
        _check(node.args[2], "number")
        return "number"
    for arg in node.args:
        _check(arg, "number")
    return "number"


# The public face ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Formula:
    text: str
    tree: Node

    @property
    def variables(self) -> frozenset[str]:
        return variables_in(self.tree)

    def evaluate(self, variables: Mapping[str, Decimal | None]) -> Decimal:
        with localcontext() as ctx:
            ctx.prec = 28
            try:
                result = _eval_number(self.tree, variables)
            except InvalidOperation as error:  # overflow and the like
                raise FormulaEvalError(
                    _("The formula cannot be computed: %(error)s") % {"error": error},
                    operation="arithmetic",
                ) from error
        return result


def parse(text: str) -> Formula:
    """Parse and type-check a formula, or raise FormulaSyntaxError with the position."""
    if len(text) > MAX_LENGTH:
        raise FormulaSyntaxError(
            _("The formula is too long: at most %(n)s characters.") % {"n": MAX_LENGTH},
            MAX_LENGTH + 1,
        )
    tree = _Parser(tokenize(text)).parse()
    if _infer(tree) != "number":
        raise FormulaSyntaxError(
            _(
                "The formula must give a number of points, not a condition: "
                "wrap it in if(…, points, points)."
            ),
            1,
        )
    return Formula(text.strip(), tree)


def variables_in(node: Node) -> frozenset[str]:
    if isinstance(node, Var):
        return frozenset({node.name})
    if isinstance(node, Num):
        return frozenset()
    if isinstance(node, Unary):
        return variables_in(node.operand)
    if isinstance(node, Binary):
        return variables_in(node.left) | variables_in(node.right)
    found: frozenset[str] = frozenset()
    for arg in node.args:
        found |= variables_in(arg)
    return found


# Evaluator -----------------------------------------------------------------------------------


def _eval_number(node: Node, env: Mapping[str, Decimal | None]) -> Decimal:
    if isinstance(node, Num):
        return node.value
    if isinstance(node, Var):
        value = env.get(node.name)
        if value is None:
            raise FormulaEvalError(
                _("No value for “%(name)s” (position %(pos)s).")
                % {"name": node.name, "pos": node.pos},
                node.pos,
                variable=node.name,
            )
        return value
    if isinstance(node, Unary):
        return -_eval_number(node.operand, env)
    if isinstance(node, Binary):
        left = _eval_number(node.left, env)
        right = _eval_number(node.right, env)
        if node.op == "+":
            return left + right
        if node.op == "-":
            return left - right
        if node.op == "*":
            return left * right
        if right == 0:
            raise FormulaEvalError(
                _("Division by zero at position %(pos)s.") % {"pos": node.pos},
                node.pos,
                operation="division",
            )
        return left / right
    args = node.args
    if node.name == "if":
        branch = args[1] if _eval_condition(args[0], env) else args[2]
        return _eval_number(branch, env)
    values = [_eval_number(arg, env) for arg in args]
    if node.name == "min":
        return min(values)
    if node.name == "max":
        return max(values)
    if node.name == "abs":
        return abs(values[0])
    places = values[1]
    if places != places.to_integral_value() or not 0 <= places <= MAX_ROUND_PLACES:
        raise FormulaEvalError(
            _("round() at position %(pos)s needs a whole number of places from 0 to %(n)s.")
            % {"pos": node.pos, "n": MAX_ROUND_PLACES},
            node.pos,
            operation="round",
        )
    return values[0].quantize(Decimal(1).scaleb(-int(places)), ROUND_HALF_UP)


def _eval_condition(node: Node, env: Mapping[str, Decimal | None]) -> bool:
    if isinstance(node, Unary):  # only "not" is a condition
        return not _eval_condition(node.operand, env)
    assert isinstance(node, Binary)
    if node.op == "and":
        return _eval_condition(node.left, env) and _eval_condition(node.right, env)
    if node.op == "or":
        return _eval_condition(node.left, env) or _eval_condition(node.right, env)
    left = _eval_number(node.left, env)
    right = _eval_number(node.right, env)
    return {
        "<": left < right,
        "<=": left <= right,
        ">": left > right,
        ">=": left >= right,
        "=": left == right,
        "!=": left != right,
    }[node.op]
