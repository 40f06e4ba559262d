"""Text helpers: LaTeX residue to Unicode, control-character stripping, links, folding.

Everything here is pure and cheap on plain text: the LaTeX converter only runs on
strings that contain LaTeX syntax.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

__all__ = [
    "clean_latex",
    "clean_line",
    "clean_raw",
    "collapse_space",
    "extract_links",
    "fold",
    "normalise_title",
    "strip_control",
]

# C0/C1 control characters except tab and newline, plus DEL. ESC (\x1b) is in here,
# so terminal escape sequences lose their introducer and become inert text.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SPACE = re.compile(r"\s+")
# Bidi overrides and zero-width characters that can disguise text on a terminal.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")

URL = re.compile(r"""https?://[^\s<>"'{}|\\^`]+""", re.IGNORECASE)
_BARE_HOST = re.compile(
    r"(?<![\w/.@:-])(?:www\.)?(?:github\.com|gitlab\.com|huggingface\.co|bitbucket\.org|"
    r"arxiv\.org|sites\.google\.com)/[^\s<>\"'{}|\\^`]+",
    re.IGNORECASE,
)
_URL_TRAILING = ".,;:!?'\"*"
_LATEX_TRIGGER = re.compile(r"[\\$]|\{[^}]*\}")
# A % or & that is not already escaped would be a LaTeX comment or alignment tab.
BARE_SPECIAL = re.compile(r"(?<!\\)([%&#])")

# Abbreviation macros common in abstracts that the default LaTeX context lacks.
_EXTRA_MACROS = {
    "eg": "e.g.",
    "ie": "i.e.",
    "etal": "et al.",
    "etc": "etc.",
    "wrt": "w.r.t.",
    "vs": "vs.",
    "cf": "cf.",
    "aka": "a.k.a.",
}


def latex_converter(*, unknown_keeps_backslash: bool) -> Any:
    """A LaTeX-to-text converter that knows the abbreviation macros of abstracts
    (``\\eg``) and keeps a macro it does not know: papers define their own (``\\model``
    for the model's name), and dropping it loses words. ``clean_latex`` (ids) keeps the
    bare name; the display cleaning keeps the backslash. pylatexenc loads here."""
    from pylatexenc.latex2text import (
        LatexNodes2Text,
        MacroTextSpec,
        get_default_latex_context_db,
    )

    class Converter(LatexNodes2Text):  # type: ignore[misc]
        def macro_node_to_text(self, node: Any) -> str:
            # LaTeX swallows the space after a word macro; put it back.
            post_space = " " if getattr(node, "macro_post_space", "") else ""
            if node.macroname in _EXTRA_MACROS:
                return f"{_EXTRA_MACROS[node.macroname]}{post_space}"
            if self.latex_context.get_macro_spec(node.macroname) is None:
                mark = "\\" if unknown_keeps_backslash else ""
                return f"{mark}{node.macroname}{post_space}"
            return str(super().macro_node_to_text(node))

    db = get_default_latex_context_db()
    db.add_context_category(
        "paperdeck-abbreviations",
        prepend=True,
        macros=[MacroTextSpec(name, simplify_repl=text) for name, text in _EXTRA_MACROS.items()],
    )
    return Converter(
        latex_context=db, math_mode="text", strict_latex_spaces=False, keep_comments=False
    )


@lru_cache(maxsize=1)
def _converter() -> Any:
    """The converter of ``clean_latex`` (most text has no LaTeX: it loads on first use)."""
    return latex_converter(unknown_keeps_backslash=False)


@lru_cache(maxsize=1)
def _accent_map() -> Any:
    from whoosh.support.charset import accent_map  # the index's own folding table

    return accent_map


def strip_control(text: str) -> str:
    """Remove control characters (escape sequences' ESC among them) and invisible marks."""
    return _INVISIBLE.sub("", _CONTROL.sub("", text))


def clean_line(text: str) -> str:
    """One line of data fit for a terminal: no control or invisible characters, runs of
    white space folded. Cheap for text that is already clean (the usual case)."""
    if text.isprintable() and "  " not in text and text == text.strip():
        return text
    return collapse_space(strip_control(text))


def clean_raw(text: str) -> str:
    """Raw text as a page had it, without control or invisible characters."""
    return text if text.isprintable() else strip_control(text)


def collapse_space(text: str) -> str:
    """Fold every run of white space (non-breaking spaces included) into one space."""
    return _SPACE.sub(" ", text).strip()


def clean_latex(text: str) -> str:
    """The text paper ids are made from (:func:`normalise_title`). Frozen: the ids of
    papers the user bookmarked depend on it. What a reader sees comes from
    :func:`store.cleaning.clean_text` instead."""
    text = strip_control(text)
    if _LATEX_TRIGGER.search(text):
        text = _convert_keeping_links(text)
    return collapse_space(text)


def _convert_keeping_links(text: str) -> str:
    links: list[str] = []

    def hide(match: re.Match[str]) -> str:
        links.append(match.group(0))
        return f"\x00{len(links) - 1}\x00"

    hidden = URL.sub(hide, text)
    hidden = BARE_SPECIAL.sub(r"\\\1", hidden)
    try:
        converted = str(_converter().latex_to_text(hidden))
    except Exception:  # pylatexenc is tolerant, but never let residue stop an import
        converted = hidden
    return re.sub(r"\x00(\d+)\x00", lambda m: links[int(m.group(1))], converted).replace("\x00", "")


def extract_links(text: str) -> list[str]:
    """The links in ``text``, in order, without duplicates or trailing punctuation: http(s)
    links, and code hosts written without a scheme (``github.com/IST-DASLab/qmoe``)."""
    seen: dict[str, None] = {}
    found = [m.group(0) for m in URL.finditer(text)]
    found += ["https://" + m.group(0) for m in _BARE_HOST.finditer(text)]
    for raw in sorted(found, key=lambda u: text.find(u.removeprefix("https://"))):
        url = raw.rstrip(_URL_TRAILING)
        # A closing bracket belongs to the URL only if the URL opened one.
        for open_, close in ("()", "[]"):
            while url.endswith(close) and url.count(close) > url.count(open_):
                url = url[:-1].rstrip(_URL_TRAILING)
        if len(url) > len("https://") + 2:
            seen.setdefault(url, None)
    return list(seen)


def fold(text: str) -> str:
    """Lower-case ``text`` and strip accents as the index does: ``TÜLU`` -> ``tulu``,
    ``Łukasiewicz`` -> ``lukasiewicz``."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return bare if bare.isascii() else bare.translate(_accent_map())


def normalise_title(title: str) -> str:
    """The identity key of a title: folded, punctuation dropped, spaces collapsed.

    ``"TÜLU 3: Pushing Frontiers"`` and ``"Tulu 3 - pushing frontiers"`` give the same key.
    """
    folded = fold(clean_latex(title))
    return " ".join(re.findall(r"\w+", folded))
