"""The claim language's tokens: numbers, clip names, metric words and operators, bounded.

Limits keep every input cheap and the recursive parser within Python's stack; numbers
are ASCII and finite, so a tolerance or a threshold can never be infinite.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

__all__ = [
    "COMPARISONS",
    "KEYWORDS",
    "MAX_CHECK_LENGTH",
    "MAX_NESTING",
    "MAX_TOKENS",
    "ClaimSyntaxError",
    "Token",
    "tokenize",
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


_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
    # Anything before a single ":" names a clip, digits and dashes included, with an
    # optional @version and #sample, or an aggregate over samples: mean(scene/model) :
  | (?P<clip>(?:[a-z]+\([\w./@#-]+\)|[\w][\w./@#-]*)(?=\s*:))
    # A clip name with spaces is double-quoted: "soft glow/take 1" : ...
  | (?P<quoted>"[^"\n]+"(?=\s*:))
    # ASCII digits only: \d would read other scripts' digits (١٢) as numbers.
  | (?P<number>[0-9]+(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?|\.[0-9]+(?:[eE][-+]?[0-9]+)?)
  | (?P<op><=|>=|==|!=|<|>|\+-|±|[-+*/()%:])
  | (?P<word>[A-Za-z_][\w./-]*)
    """,
    re.VERBOSE,
)
KEYWORDS = {"and", "or", "not", "abs"}
#: The comparison operators.
COMPARISONS = ("<", "<=", ">", ">=", "==", "!=")


@dataclass(frozen=True)
class Token:
    """One token: its kind (clip, number, op, word, end), text and 0-based position."""

    kind: str
    text: str
    pos: int


def tokenize(text: str) -> list[Token]:
    """The tokens of a check, ending with an ``end`` token.

    Raises
    ------
    ClaimSyntaxError
        Text too long or with too many tokens, an unexpected character, or a number
        that is not finite.
    """
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
        if match.lastgroup == "quoted":
            tokens.append(Token("clip", match.group()[1:-1], pos))
        elif match.lastgroup != "space":
            tokens.append(Token(match.lastgroup, match.group(), pos))
            if len(tokens) > MAX_TOKENS:
                raise ClaimSyntaxError(
                    f"the check has more than {MAX_TOKENS} parts; split it into several claims",
                    text,
                    pos + 1,
                )
        pos = match.end()
    tokens.append(Token("end", "", len(text)))
    return tokens


def _unexpected(char: str) -> str:
    if char.isdigit():
        return f"unexpected character {char!r}: write numbers with the ASCII digits 0-9"
    if char in "\"'`":
        return (
            f"unexpected character {char!r}: a clip name stands before ':', bare "
            '(2024-runs/model-a : ...) or in double quotes if it holds spaces ("take 1" : ...)'
        )
    return f"unexpected character {char!r}"
