"""The claim language: checks over probe metrics, parsed by a small grammar, never eval'd.

A check is a boolean expression over metric references::

    train-lake/model-a : reflection.symmetry >= 0.85 and reflection.lag_frames <= 1
    abs(rotation.angular_velocity_deg_s - 6) < 0.3
    rotation.angular_velocity_deg_s == 6 ± 5%
    sky/reference:rotation.rigidity_residual_px < sky/model-b:rotation.rigidity_residual_px

Grammar (``|`` alternatives, ``*`` repetition, ``?`` optional)::

    check      := [CLIP ":"] or
    or         := and ("or" and)*
    and        := not ("and" not)*
    not        := "not" not | comparison
    comparison := sum (OP sum (("±" | "+-") NUMBER "%"?)?)?
    sum        := product (("+" | "-") product)*
    product    := unary (("*" | "/") unary)*
    unary      := "-" unary | atom
    atom       := NUMBER | ref | "abs" "(" sum ")" | "(" or ")"
    ref        := [CLIP ":"] PROBE "." METRIC
    OP         := "<" | "<=" | ">" | ">=" | "==" | "!="

A leading ``CLIP :`` sets the clip for every reference that names none. ``a == b ± t``
holds when ``|a - b| <= t`` (``t%`` is relative to ``b``).

Any text that is followed by ``:`` is a clip name (``2024-runs/model-a :``), so names
that start with digits or hold ``-`` need no quoting. Numbers are ASCII digits and
finite. A check is at most ``MAX_CHECK_LENGTH`` characters and ``MAX_TOKENS`` tokens,
and nests at most ``MAX_NESTING`` deep; anything else is a :class:`ClaimSyntaxError`.
A comparison whose side is not a finite number (a value divided by zero, an overflow) is a
:class:`ClaimValueError` at evaluation, never a silent ``False`` that ``not`` would
turn into a pass.
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from probepress.measure.ref import Ref

__all__ = [
    "MAX_CHECK_LENGTH",
    "MAX_NESTING",
    "MAX_TOKENS",
    "Check",
    "ClaimSyntaxError",
    "ClaimValueError",
    "Comparison",
    "Evaluation",
    "Ref",
    "parse_check",
]

#: Longest check, in characters: a check is a line a reader can follow, and the parse
#: and evaluation recurse along it.
MAX_CHECK_LENGTH = 1000
#: Most tokens in a check: ``a + b + ...`` chains recurse in evaluation as well.
MAX_TOKENS = 256
#: Deepest nesting of parentheses, ``abs(``, ``not`` and unary ``-``.
MAX_NESTING = 32


class ClaimSyntaxError(ValueError):
    """A check that does not parse; ``column`` is 1-based within the check text."""

    def __init__(self, message: str, text: str, column: int) -> None:
        self.message = message
        self.text = text
        self.column = column
        super().__init__(f"{message} at column {column}: {text!r}")


class ClaimValueError(ValueError):
    """A check whose comparison has a side that is not a finite number."""


Lookup = Callable[[Ref], float]


@dataclass(frozen=True)
class Comparison:
    """One evaluated comparison, for reporting ``expected`` against ``measured``."""

    text: str
    left: float
    op: str
    right: float
    tolerance: float | None
    holds: bool


@dataclass
class Evaluation:
    """The outcome of a check: whether it holds, and every value it looked at."""

    holds: bool
    values: dict[Ref, float] = field(default_factory=dict)
    comparisons: list[Comparison] = field(default_factory=list)


# -- syntax tree --------------------------------------------------------------------


@dataclass(frozen=True)
class _Num:
    value: float


@dataclass(frozen=True)
class _Metric:
    ref: Ref


@dataclass(frozen=True)
class _Unary:
    op: str
    operand: object


@dataclass(frozen=True)
class _Binary:
    op: str
    left: object
    right: object


@dataclass(frozen=True)
class _Compare:
    op: str
    left: object
    right: object
    tolerance: float | None
    relative: bool
    text: str
    # The text with every reference naming its clip, shown when a check spans clips.
    qualified: str


@dataclass(frozen=True)
class _Bool:
    op: str  # "and" | "or" | "not"
    operands: tuple


@dataclass(frozen=True)
class Check:
    """A parsed check: evaluate it against measured values with :meth:`evaluate`."""

    text: str
    tree: object
    refs: tuple[Ref, ...]

    def evaluate(self, lookup: Lookup) -> Evaluation:
        """Evaluate with ``lookup(ref) -> value``; a lookup error propagates unchanged."""
        evaluation = Evaluation(holds=False)
        evaluation.holds = bool(_evaluate(self.tree, lookup, evaluation))
        return evaluation


# -- tokenizer ----------------------------------------------------------------------

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
    # Anything before a single ":" names a clip, digits and dashes included.
  | (?P<clip>[\w][\w./-]*(?=\s*:))
    # ASCII digits only: \d would read other scripts' digits (١٢) as numbers.
  | (?P<number>[0-9]+(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?|\.[0-9]+(?:[eE][-+]?[0-9]+)?)
  | (?P<op><=|>=|==|!=|<|>|\+-|±|[-+*/()%:])
  | (?P<word>[A-Za-z_][\w./-]*)
    """,
    re.VERBOSE,
)
_KEYWORDS = {"and", "or", "not", "abs"}
_COMPARE = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}
_ARITH = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv}


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    pos: int


def _tokenize(text: str) -> list[_Token]:
    if len(text) > MAX_CHECK_LENGTH:
        raise ClaimSyntaxError(
            f"the check is {len(text)} characters long, more than {MAX_CHECK_LENGTH}; "
            "split it into several claims",
            text[:40] + "...",
            MAX_CHECK_LENGTH + 1,
        )
    tokens, pos = [], 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:
            raise ClaimSyntaxError(_unexpected(text[pos]), text, pos + 1)
        if match.lastgroup == "number" and not math.isfinite(float(match.group())):
            raise ClaimSyntaxError(
                f"number {match.group()} is too large (not a finite number)", text, pos + 1
            )
        if match.lastgroup != "space":
            tokens.append(_Token(match.lastgroup, match.group(), pos))
            if len(tokens) > MAX_TOKENS:
                raise ClaimSyntaxError(
                    f"the check has more than {MAX_TOKENS} parts; split it into several claims",
                    text,
                    pos + 1,
                )
        pos = match.end()
    tokens.append(_Token("end", "", len(text)))
    return tokens


def _unexpected(char: str) -> str:
    if char.isdigit():
        return f"unexpected character {char!r}: write numbers with the ASCII digits 0-9"
    if char in "\"'`":
        return (
            f"unexpected character {char!r}: clip names are written bare before ':', "
            "e.g. 2024-runs/model-a : flicker.flicker_index < 1"
        )
    return f"unexpected character {char!r}"


# -- parser -------------------------------------------------------------------------


def parse_check(text: str, *, default_clip: str | None = None) -> Check:
    """Parse a check; references without a clip get the leading clip or ``default_clip``.

    Raises
    ------
    ClaimSyntaxError
        With the column of the first token that does not fit the grammar.
    """
    parser = _Parser(text, default_clip)
    tree = parser.parse()
    refs = tuple(dict.fromkeys(parser.refs))
    if len({ref.clip for ref in refs}) > 1:
        # "shadow.spread > 3 * ref:shadow.spread" would hide whose spread is meant.
        tree = _qualified(tree)
    return Check(text=text, tree=tree, refs=refs)


def _qualified(node: object) -> object:
    """``node`` with every comparison's text naming the clip of each reference."""
    if isinstance(node, _Compare):
        return replace(node, text=node.qualified)
    if isinstance(node, _Bool):
        return replace(node, operands=tuple(_qualified(o) for o in node.operands))
    return node


class _Parser:
    def __init__(self, text: str, default_clip: str | None) -> None:
        self.text = text
        self.tokens = _tokenize(text)
        self.index = 0
        self.clip = default_clip
        self.refs: list[Ref] = []
        self.implicit: list[tuple[int, str]] = []  # (position, clip) of refs naming none
        self.depth = 0  # nesting, bounded so that no input exhausts Python's stack

    # helpers
    @property
    def token(self) -> _Token:
        return self.tokens[self.index]

    def _peek(self, offset: int = 1) -> _Token:
        return self.tokens[min(self.index + offset, len(self.tokens) - 1)]

    def _take(self) -> _Token:
        token = self.token
        self.index += 1
        return token

    def _expect(self, text: str) -> None:
        if self.token.text != text:
            self._fail(f"expected {text!r}")
        self._take()

    def _nest(self) -> None:
        self.depth += 1
        if self.depth > MAX_NESTING:
            self._fail(f"the check nests deeper than {MAX_NESTING} levels; simplify it")

    def _fail(self, message: str) -> None:
        found = self.token.text or "end of check"
        raise ClaimSyntaxError(f"{message}, found {found!r}", self.text, self.token.pos + 1)

    # grammar
    def parse(self) -> object:
        if self.token.kind == "end":
            self._fail("expected a check")
        if self.token.kind == "clip":
            # A leading clip sets the default for every later reference that names none.
            self.clip = self._take().text
            self._take()
        tree = self._or()
        if self.token.kind != "end":
            self._fail("expected 'and', 'or' or the end of the check")
        return tree

    def _or(self) -> object:
        operands = [self._and()]
        while self.token.text == "or":
            self._take()
            operands.append(self._and())
        return operands[0] if len(operands) == 1 else _Bool("or", tuple(operands))

    def _and(self) -> object:
        operands = [self._not()]
        while self.token.text == "and":
            self._take()
            operands.append(self._not())
        return operands[0] if len(operands) == 1 else _Bool("and", tuple(operands))

    def _not(self) -> object:
        if self.token.text == "not":
            self._take()
            self._nest()
            node = _Bool("not", (self._not(),))
            self.depth -= 1
            return node
        return self._comparison()

    def _comparison(self) -> object:
        start = self.token.pos
        left = self._sum()
        if self.token.text not in _COMPARE:
            if isinstance(left, _Bool | _Compare):
                return left
            self._fail("expected a comparison (<, <=, >, >=, ==, !=)")
        op = self._take().text
        right = self._sum()
        tolerance, relative = None, False
        if self.token.text in ("±", "+-"):
            self._take()
            if self.token.kind != "number":
                self._fail("expected a number after ±")
            tolerance = float(self._take().text)
            if self.token.text == "%":
                self._take()
                relative = True
        end = self.token.pos
        qualified = self.text[start:end]
        for pos, clip in reversed(self.implicit):
            if start <= pos < end:
                qualified = f"{qualified[: pos - start]}{clip}:{qualified[pos - start :]}"
        text = self.text[start:end].strip()
        return _Compare(op, left, right, tolerance, relative, text, qualified.strip())

    def _sum(self) -> object:
        node = self._product()
        while self.token.text in ("+", "-"):
            op = self._take().text
            node = _Binary(op, node, self._product())
        return node

    def _product(self) -> object:
        node = self._unary()
        while self.token.text in ("*", "/"):
            op = self._take().text
            node = _Binary(op, node, self._unary())
        return node

    def _unary(self) -> object:
        if self.token.text == "-":
            self._take()
            self._nest()
            node = _Unary("-", self._unary())
            self.depth -= 1
            return node
        return self._atom()

    def _atom(self) -> object:
        token = self.token
        if token.kind == "number":
            self._take()
            return _Num(float(token.text))
        if token.text == "abs":
            self._take()
            self._expect("(")
            self._nest()
            inner = self._sum()
            self._expect(")")
            self.depth -= 1
            return _Unary("abs", inner)
        if token.text == "(":
            self._take()
            self._nest()
            inner = self._or()
            self._expect(")")
            self.depth -= 1
            return inner
        if token.kind == "clip" or (token.kind == "word" and token.text not in _KEYWORDS):
            return _Metric(self._ref())
        self._fail("expected a number, a metric such as reflection.symmetry, abs( or (")
        raise AssertionError("unreachable")

    def _ref(self) -> Ref:
        clip = self.clip
        if self.token.kind == "clip":
            clip = self._take().text
            self._take()
            if self.token.kind != "word":
                self._fail("expected probe.metric after the clip")
        elif clip is not None:
            self.implicit.append((self.token.pos, clip))
        token = self._take()
        probe, dot, metric = token.text.partition(".")
        if not dot or not metric or "." in metric or "/" in token.text:
            self.index -= 1
            self._fail("expected a metric written probe.metric")
        ref = Ref(clip, probe, metric)
        self.refs.append(ref)
        return ref


# -- evaluation ---------------------------------------------------------------------


def _evaluate(node: object, lookup: Lookup, out: Evaluation) -> float | bool:
    if isinstance(node, _Num):
        return node.value
    if isinstance(node, _Metric):
        value = float(lookup(node.ref))
        out.values[node.ref] = value
        return value
    if isinstance(node, _Unary):
        value = _evaluate(node.operand, lookup, out)
        return abs(value) if node.op == "abs" else -value
    if isinstance(node, _Binary):
        left, right = _evaluate(node.left, lookup, out), _evaluate(node.right, lookup, out)
        if node.op == "/" and right == 0:
            return math.nan
        return _ARITH[node.op](left, right)
    if isinstance(node, _Compare):
        return _compare(node, lookup, out)
    if isinstance(node, _Bool):
        # Evaluate every operand (no short-circuit) so the report shows every value.
        results = [bool(_evaluate(operand, lookup, out)) for operand in node.operands]
        if node.op == "not":
            return not results[0]
        return all(results) if node.op == "and" else any(results)
    raise TypeError(f"unknown node {node!r}")


def _compare(node: _Compare, lookup: Lookup, out: Evaluation) -> bool:
    left = float(_evaluate(node.left, lookup, out))
    right = float(_evaluate(node.right, lookup, out))
    tolerance = None
    if node.tolerance is not None:
        tolerance = abs(right) * node.tolerance / 100 if node.relative else node.tolerance
    for part, value in (("left side", left), ("right side", right), ("tolerance", tolerance)):
        if value is not None and not math.isfinite(value):
            # An undefined value never supports a claim, not even under ``not``.
            raise ClaimValueError(
                f"`{node.text}`: its {part} is not a finite number ({value}), "
                "e.g. a division by zero or an overflow"
            )
    if tolerance is not None and node.op in ("==", "!="):
        within = abs(left - right) <= tolerance
        holds = within if node.op == "==" else not within
    elif tolerance is not None:
        # ``a < b ± t`` allows a margin of t in the claim's favour.
        shifted = right + tolerance if node.op in ("<", "<=") else right - tolerance
        holds = _COMPARE[node.op](left, shifted)
    else:
        holds = _COMPARE[node.op](left, right)
    out.comparisons.append(Comparison(node.text, left, node.op, right, tolerance, holds))
    return holds
