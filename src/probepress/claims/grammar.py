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
that start with digits or hold ``-`` need no quoting; a name with spaces is written in
double quotes (``"soft glow/take 1" :``). Numbers are ASCII digits and
finite. A check is at most ``MAX_CHECK_LENGTH`` characters and ``MAX_TOKENS`` tokens,
and nests at most ``MAX_NESTING`` deep; anything else is a :class:`ClaimSyntaxError`.
A comparison whose side is not a finite number (a value divided by zero, an overflow) is a
:class:`ClaimValueError` at evaluation, never a silent ``False`` that ``not`` would
turn into a pass.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from probepress.claims.tokens import (
    COMPARISONS,
    KEYWORDS,
    MAX_CHECK_LENGTH,
    MAX_NESTING,
    MAX_TOKENS,
    ClaimSyntaxError,
    Token,
    tokenize,
)
from probepress.claims.tree import (
    Binary,
    Bool,
    ClaimValueError,
    Compare,
    Comparison,
    Evaluation,
    Lookup,
    Metric,
    Num,
    Unary,
    evaluate,
)
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


@dataclass(frozen=True)
class Check:
    """A parsed check: evaluate it against measured values with :meth:`evaluate`."""

    text: str
    tree: object
    refs: tuple[Ref, ...]

    def evaluate(self, lookup: Lookup) -> Evaluation:
        """Evaluate with ``lookup(ref) -> value``; a lookup error propagates unchanged."""
        evaluation = Evaluation(holds=False)
        evaluation.holds = bool(evaluate(self.tree, lookup, evaluation))
        return evaluation


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
    if isinstance(node, Compare):
        return replace(node, text=node.qualified)
    if isinstance(node, Bool):
        return replace(node, operands=tuple(_qualified(o) for o in node.operands))
    return node


class _Parser:
    def __init__(self, text: str, default_clip: str | None) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.index = 0
        self.clip = default_clip
        self.refs: list[Ref] = []
        self.implicit: list[tuple[int, str]] = []  # (position, clip) of refs naming none
        self.depth = 0  # nesting, bounded so that no input exhausts Python's stack

    # helpers
    @property
    def token(self) -> Token:
        return self.tokens[self.index]

    def _peek(self, offset: int = 1) -> Token:
        return self.tokens[min(self.index + offset, len(self.tokens) - 1)]

    def _take(self) -> Token:
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
        return operands[0] if len(operands) == 1 else Bool("or", tuple(operands))

    def _and(self) -> object:
        operands = [self._not()]
        while self.token.text == "and":
            self._take()
            operands.append(self._not())
        return operands[0] if len(operands) == 1 else Bool("and", tuple(operands))

    def _not(self) -> object:
        if self.token.text == "not":
            self._take()
            self._nest()
            node = Bool("not", (self._not(),))
            self.depth -= 1
            return node
        return self._comparison()

    def _comparison(self) -> object:
        start = self.token.pos
        left = self._sum()
        if self.token.text not in COMPARISONS:
            if isinstance(left, Bool | Compare):
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
        return Compare(op, left, right, tolerance, relative, text, qualified.strip())

    def _sum(self) -> object:
        node = self._product()
        while self.token.text in ("+", "-"):
            op = self._take().text
            node = Binary(op, node, self._product())
        return node

    def _product(self) -> object:
        node = self._unary()
        while self.token.text in ("*", "/"):
            op = self._take().text
            node = Binary(op, node, self._unary())
        return node

    def _unary(self) -> object:
        if self.token.text == "-":
            self._take()
            self._nest()
            node = Unary("-", self._unary())
            self.depth -= 1
            return node
        return self._atom()

    def _atom(self) -> object:
        token = self.token
        if token.kind == "number":
            self._take()
            return Num(float(token.text))
        if token.text == "abs":
            self._take()
            self._expect("(")
            self._nest()
            inner = self._sum()
            self._expect(")")
            self.depth -= 1
            return Unary("abs", inner)
        if token.text == "(":
            self._take()
            self._nest()
            inner = self._or()
            self._expect(")")
            self.depth -= 1
            return inner
        if token.kind == "clip" or (token.kind == "word" and token.text not in KEYWORDS):
            return Metric(self._ref())
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
