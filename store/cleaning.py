# ruff: noqa: RUF001, RUF002  (the symbols are the point of this module)
"""From the text a page shows to the clean text a reader sees: one set of rules for
every title and abstract.

The site strips LaTeX's backslashes and leaves residue (``sim3x``, ``leq 2%``,
``2times``, ``textit{O}bstacles``); some abstracts keep real LaTeX (``$\\epsilon$``,
``T\\"ulu``). The rules, in order:

1. links are set aside untouched (a link in braces gets a space before it);
2. residue the site left is read back: ``sim`` before a number is ``~``, ``leq``
   ``≤``, ``geq`` ``≥``, a number glued to ``times`` is ``×``, ``^circledR`` ``®``, a
   lone ``ell`` ``ℓ``, ``propto`` ``∝``, ``left(``/``right)`` plain brackets, and
   formatting commands without their backslash (``textit{O}``) keep only their text;
3. real LaTeX is converted (pylatexenc), except what is not LaTeX at all: a ``$``
   before a price (``$4.30``) stays, a ``~`` that means "about" (``(~1B``) stays,
   braces glued to a number (``8{255}``) stay as they are (their meaning is unclear:
   raw beats a guess), and a command it does not know stays with its backslash;
4. typography, for every text alike: ``--`` is an en dash, ``---`` an em dash,
   ````quotes''`` curly quotes; runs of spaces become one.

Nothing may drop a digit, a currency sign, ``%`` or a link (a property test checks).
:func:`searchable` gives the symbols back their names for the index (``≤`` is also
``leq``), so a search finds them by what people type.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from .text import BARE_SPECIAL, URL, latex_converter, strip_control

__all__ = ["clean_text", "searchable"]

_BRACED_URL = re.compile(r"\{\s*(https?://[^\s{}]+)\s*\}", re.IGNORECASE)
_FORMATTING = re.compile(
    r"(?<![A-Za-z\\])(?:textit|textbf|emph|texttt|textsc|textrm|textsf|underline|mathrm|"
    r"mathbf|mathit|mathcal|mathbb|mathsf|mathtt|boldsymbol)\{([^{}]*)\}"
)
_RESIDUE: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(?<![A-Za-z\\])sim(?=\s?[\d.])"), "~"),
    (re.compile(r"(?<![A-Za-z\\])leq?(?![A-Za-z])"), "≤"),
    (re.compile(r"(?<![A-Za-z\\])geq?(?![A-Za-z])"), "≥"),
    (re.compile(r"(?<![A-Za-z\\])neq(?![A-Za-z])"), "≠"),
    (re.compile(r"(?<![A-Za-z\\])approx(?=\s?[\d.])"), "≈"),
    (re.compile(r"(?<=\d)\s?times(?![A-Za-z])"), "×"),
    (re.compile(r"\^?\\?circledR"), "®"),
    (re.compile(r"(?<![A-Za-z\\])ell(?![A-Za-z])"), "ℓ"),
    (re.compile(r"(?<![A-Za-z\\])propto(?![A-Za-z])"), "∝"),
    (re.compile(r"(?<![A-Za-z\\])infty(?![A-Za-z])"), "∞"),
]
_LEFT_RIGHT = re.compile(r"\\?left([(\[|])([^()\[\]]{0,200}?)\\?right([)\]|])")
_LATEX = re.compile(r"\\[A-Za-z@]+|\\[\"'`^~=.]|\$[^$]+\$")
_MATH = re.compile(r"\$([^$]{1,300})\$")
_DIGIT_BRACES = re.compile(r"(?<=\d)\{[^{}]*\}")
_TIE = re.compile(r"(?<=[A-Za-z.])~(?=[A-Za-z0-9\\])")
_TYPOGRAPHY: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(?<!-)---(?!-)"), "—"),
    (re.compile(r"(?<!-)--(?!-)"), "–"),
    (re.compile(r"``(.*?)''"), "“\\1”"),
]
_SPACE = re.compile(r"\s+")
_SYMBOL_WORDS = {
    "≤": " ≤ leq ",
    "≥": " ≥ geq ",
    "≠": " ≠ neq ",
    "≈": " ≈ approx ",
    "×": "× x ",
    "∝": " ∝ propto ",
    "ℓ": "ℓ ell ",
    "∞": " ∞ infty ",
}
_SYMBOLS = re.compile("|".join(map(re.escape, _SYMBOL_WORDS)))
_KEEP = "\ue000{}\ue001"
# An accent command just before a kept piece (``\\b https://...``) puts its combining
# mark inside the marker; the mark goes, the piece comes back whole.
_KEPT = re.compile("\ue000[\u0300-\u036f]*(\\d+)[\u0300-\u036f]*\ue001")


def clean_text(raw: str) -> str:
    """The clean, single-line Unicode form of a title or an abstract."""
    text = strip_control(raw)
    kept: list[str] = []

    def keep(value: str) -> str:
        kept.append(value)
        return _KEEP.format(len(kept) - 1)

    text = _BRACED_URL.sub(lambda m: " " + m.group(1) + " ", text)
    text = URL.sub(lambda m: keep(m.group(0)), text)
    for _ in range(3):  # nested formatting: textbf{textit{x}}
        text = _FORMATTING.sub(r"\1", text)
    text = _LEFT_RIGHT.sub(r"\1\2\3", text)  # proptoleft(d/mright) -> propto(d/m)
    for pattern, replacement in _RESIDUE:
        text = pattern.sub(replacement, text)
    text = _DIGIT_BRACES.sub(lambda m: keep(m.group(0)), text)
    text = _TIE.sub(" ", text)  # LaTeX's unbreakable space: Fig.~3
    text = text.replace("~", keep("~"))  # every other ~ means "about": (~1B parameters)
    text = text.replace("\\$", keep("$"))  # an escaped dollar is a dollar, never math
    if _LATEX.search(text) or "{" in text:
        text = _convert(text, keep)
    for pattern, replacement in _TYPOGRAPHY:
        text = pattern.sub(replacement, text)
    text = _KEPT.sub(lambda m: kept[int(m.group(1))], text)
    text = _KEPT.sub(lambda m: kept[int(m.group(1))], text)  # kept inside kept
    return _SPACE.sub(" ", text).strip()


def _convert(text: str, keep: Callable[[str], str]) -> str:
    """Real LaTeX to Unicode; what is not math or a known command stays as it is."""

    def math_or_money(match: re.Match[str]) -> str:
        body = match.group(1)
        # Math has commands or sub/superscripts, or is one unspaced run not starting
        # with a digit ($n$); "$4 to $5" and "$0a$" are prices.
        bare = body.strip()
        is_math = bool(bare) and (
            any(c in body for c in "\\^_") or (" " not in bare and not bare[:1].isdigit())
        )
        if is_math:
            return match.group(0)
        return keep("$") + body + keep("$")  # two prices, not math: "$4 to $5"

    parts: list[str] = []
    last = 0
    for match in _MATH.finditer(text):
        parts.append(text[last : match.start()].replace("$", keep("$")))  # a lone $: money
        parts.append(math_or_money(match))
        last = match.end()
    parts.append(text[last:].replace("$", keep("$")))
    text = "".join(parts)
    text = BARE_SPECIAL.sub(r"\\\1", text)
    try:
        return str(_converter().latex_to_text(text))
    except Exception:  # pylatexenc is tolerant; residue never stops an import
        return text


@lru_cache(maxsize=1)
def _converter() -> Any:
    return latex_converter(unknown_keeps_backslash=True)


def searchable(text: str) -> str:
    """``text`` for the index: each symbol also under the name people type for it."""
    if not _SYMBOLS.search(text):
        return text
    return _SYMBOLS.sub(lambda m: _SYMBOL_WORDS[m.group(0)], text)
