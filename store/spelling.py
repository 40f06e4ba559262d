"""British and American spellings meet: ``optimisation`` is indexed and searched as
``optimization``, ``modelling`` as ``modeling``, ``colour`` as ``color``.

Applied to folded words before stemming, at index and query time alike, so either
spelling finds both. Only endings that are reliably spelling variants are rewritten;
words where the same ending is not one (``rise``, ``noise``, ``precise``, ``hour``) are
left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from whoosh.analysis import Filter, Token

__all__ = ["SpellingFilter", "american", "american_prefix"]

# -ise words that are not -ize words in American English.
_ISE_KEEP = {
    "advertise",
    "advise",
    "arise",
    "chastise",
    "circumcise",
    "comprise",
    "compromise",
    "concise",
    "demise",
    "despise",
    "devise",
    "disguise",
    "enterprise",
    "excise",
    "exercise",
    "expertise",
    "franchise",
    "improvise",
    "incise",
    "merchandise",
    "noise",
    "otherwise",
    "paradise",
    "poise",
    "praise",
    "precise",
    "premise",
    "promise",
    "raise",
    "revise",
    "rise",
    "supervise",
    "surmise",
    "surprise",
    "televise",
    "treatise",
    "wise",
    "likewise",
    "clockwise",
    "stepwise",
    "pairwise",
    "pointwise",
    "layerwise",
    "elementwise",
    "channelwise",
    "piecewise",
    "noisewise",
    "sunrise",
    "cruise",
    "bruise",
    "reprise",
}
_OUR_WORDS = {
    "behaviour",
    "colour",
    "favour",
    "flavour",
    "honour",
    "humour",
    "labour",
    "neighbour",
    "rumour",
    "vapour",
    "vigour",
    "harbour",
    "armour",
    "endeavour",
    "savour",
    "odour",
    "tumour",
    "parlour",
    "valour",
    "splendour",
    "rigour",
    "clamour",
}
_WHOLE = {
    "centre": "center",
    "centres": "centers",
    "centred": "centered",
    "fibre": "fiber",
    "fibres": "fibers",
    "litre": "liter",
    "theatre": "theater",
    "spectre": "specter",
    "metre": "meter",
    "metres": "meters",
    "grey": "gray",
    "programme": "program",
    "programmes": "programs",
    "defence": "defense",
    "licence": "license",
    "offence": "offense",
    "catalogue": "catalog",
    "catalogues": "catalogs",
    "dialogue": "dialog",
    "dialogues": "dialogs",
    "analogue": "analog",
    "aluminium": "aluminum",
    "artefact": "artifact",
    "artefacts": "artifacts",
    "judgement": "judgment",
    "judgements": "judgments",
    "acknowledgement": "acknowledgment",
    "ageing": "aging",
    "towards": "toward",
    "whilst": "while",
    "amongst": "among",
}
_DOUBLED_L = re.compile(r"^(\w*[aeiou])ll(ing|ed|er|ers)$")
_DOUBLED_L_WORDS = {
    "model",
    "label",
    "travel",
    "signal",
    "cancel",
    "channel",
    "level",
    "tunnel",
    "fuel",
    "funnel",
    "marshal",
    "total",
    "jewel",
    "counsel",
    "equal",
    "dial",
    "pixel",
    "kernel",
    "panel",
    "shovel",
    "barrel",
    "rival",
    "parcel",
    "libel",
    "quarrel",
}
_ISATION = re.compile(r"^(\w{3,})is(ation|ations|e|es|ed|ing|er|ers|able)$")
_YSE = re.compile(r"^(\w*(?:anal|paral|catal|dial|electrol|hydrol))ys(e|es|ed|ing)$")
_OUR = re.compile(r"^(\w+)our(s|ed|ing|ful|ite|ites|able|less)?$")


@lru_cache(maxsize=100_000)
def american(word: str) -> str:
    """The American spelling of a folded word (the word itself if it has none)."""
    if word in _WHOLE:
        return _WHOLE[word]
    if match := _ISATION.match(word):
        stem, ending = match.groups()
        base = stem + "ise"
        if base not in _ISE_KEEP and not any(base.endswith(k) for k in _ISE_KEEP if len(k) > 4):
            return f"{stem}iz{ending}"
        return word
    if match := _YSE.match(word):
        return f"{match.group(1)}yz{match.group(2)}"
    if (match := _OUR.match(word)) and f"{match.group(1)}our" in _OUR_WORDS:
        return f"{match.group(1)}or{match.group(2) or ''}"
    if (match := _DOUBLED_L.match(word)) and f"{match.group(1)}l" in _DOUBLED_L_WORDS:
        return f"{match.group(1)}l{match.group(2)}"
    return word


# British endings, and how many of their first letters make a prefix British ("optimis"
# is British, "optimi" is either): a typed prefix ending in them is completed, rewritten
# by american() and cut back to its length.
_BRITISH_TAILS = (
    ("isation", 2),
    ("isations", 2),
    ("ise", 2),
    ("ised", 2),
    ("ises", 2),
    ("ising", 2),
    ("iser", 2),
    ("isable", 2),
    ("our", 2),
    ("ours", 2),
    ("oured", 2),
    ("ouring", 2),
    ("elling", 3),
    ("elled", 3),
    ("eller", 3),
    ("yse", 2),
    ("ysed", 2),
    ("yses", 2),
    ("ysing", 2),
)


@lru_cache(maxsize=10_000)
def american_prefix(prefix: str) -> str:
    """The American spelling of a word being typed (``optimisa`` -> ``optimiza``,
    ``modell`` -> ``model``, ``colou`` -> ``colo``); the prefix itself if no completion
    of it is a British spelling."""
    whole = american(prefix)
    if whole != prefix:
        return whole
    for tail, british in _BRITISH_TAILS:
        for typed in range(british, len(tail)):
            if prefix.endswith(tail[:typed]):
                rest = tail[typed:]
                finished = american(prefix + rest)
                if finished != prefix + rest and finished.endswith(rest):
                    return finished[: len(finished) - len(rest)]
    return prefix


class SpellingFilter(Filter):  # type: ignore[misc]  # Whoosh is untyped
    """Rewrites British spellings to American ones (see :func:`american`)."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SpellingFilter)

    def __hash__(self) -> int:
        return hash(SpellingFilter)

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            token.text = american(token.text)
            yield token
