"""Search quality on the real seed pages: ordinary queries find what a reader expects.

Written from the seed pages by reading them: each query lists papers it must find.
Skipped when ../shared/seeds is absent."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from store import Library

MUST_FIND: dict[str, list[str]] = {
    "mixture of experts": ["AquilaMoE", "SteloCoder", "DriftMoE", "Read-ME", "QMoE"],
    "chain of thought": ["Masked Thought", "Teaching Arithmetic to Small Transformers"],
    "language models for code": ["SteloCoder"],
    "preference optimisation": ["TÜLU 3", "PandaLM"],
    "preference optimization": ["TÜLU 3", "PandaLM"],
    "quantisation": ["QLoRA", "EasyQuant", "ZeroQuant-FP"],
    "tulu": ["TÜLU 3"],
    "model soups": ["Model soups"],
    "org:nvidia": ["Pretraining Large Language Models with NVFP4"],
}
SAME_RESULTS = [
    ("mixture of experts", "mixture experts"),
    ("chain of thought", "chain thought"),
    ("language models for code", "language models code"),
    ("quantisation", "quantization"),
    ("preference optimisation", "preference optimization"),
    ("modelling", "modeling"),
    ("fine tuning", "finetuning"),
]
TYPED = [
    "quantization",
    "mixture",
    "transformer",
    "reinforcement",
    "distillation",
    "tulu",
    "optimisation",  # British: every prefix stands for optimization too
    "modelling",
    "behaviour",
]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    from tests.helpers import SEEDS

    if not SEEDS.is_dir() or not any(SEEDS.glob("*.txt")):
        pytest.skip("../shared/seeds is not present")
    library = Library.open(Path(tmp_path_factory.mktemp("quality")) / "lib")
    assert library.import_pages([SEEDS]).ok
    yield library
    library.close()


def _titles(library: Library, text: str, **options: object) -> list[str]:
    return [h.paper.title for h in library.search(text, limit=1000, **options).hits]  # type: ignore[arg-type]


@pytest.mark.parametrize("query", sorted(MUST_FIND))
def test_a_query_finds_the_papers_it_must(seeded: Library, query: str) -> None:
    results = seeded.search(query, limit=1000)
    assert results.notice is None or "No exact matches" not in results.notice
    titles = [h.paper.title for h in results.hits]
    for wanted in MUST_FIND[query]:
        assert any(t.startswith(wanted) for t in titles), f"{query!r} misses {wanted!r}"


@pytest.mark.parametrize(("left", "right"), SAME_RESULTS)
def test_equivalent_queries_find_the_same_papers(seeded: Library, left: str, right: str) -> None:
    assert set(_titles(seeded, left)) == set(_titles(seeded, right))


@pytest.mark.parametrize("word", ["of", "the", "for"])
def test_a_query_of_stop_words_alone_lists_everything_and_says_why(
    seeded: Library, word: str
) -> None:
    results = seeded.search(word)
    assert results.total == seeded.count()
    assert results.notice and "too common" in results.notice


def test_the_organisation_ranks_its_paper_first(seeded: Library) -> None:
    first = seeded.search("nvidia").hits[0].paper
    assert first.organization == "NVIDIA"


@pytest.mark.parametrize(
    ("query", "allowed"),
    [
        ("authors:<5", range(1, 5)),
        ("authors:<=2", range(1, 3)),
        ("authors:>10", range(11, 10_000)),
        ("authors:[3 TO 6]", range(3, 7)),
    ],
)
def test_author_ranges_match_only_known_counts(seeded: Library, query: str, allowed: range) -> None:
    expected = {p.id for p in seeded.papers() if p.authors_count in allowed}
    found = {h.paper.id for h in seeded.search(query, limit=1000).hits}
    assert found == expected and found


def test_years_compare_only_dated_papers(seeded: Library) -> None:
    expected = {p.id for p in seeded.papers() if p.published and p.published.year < 2024}
    found = {h.paper.id for h in seeded.search("year:<2024", limit=1000).hits}
    assert found == expected


@pytest.mark.parametrize("word", TYPED)
def test_typing_a_word_only_narrows(seeded: Library, word: str) -> None:
    """Each prefix finds at least what the next one finds, and what the word finds."""
    finished = set(_titles(seeded, word))
    previous: set[str] | None = None
    for end in range(2, len(word) + 1):
        shown = set(_titles(seeded, word[:end], as_you_type=True))
        assert finished <= shown, f"{word[:end]!r} misses what {word!r} finds"
        if previous is not None:
            assert shown <= previous, f"{word[:end]!r} shows more than {word[: end - 1]!r}"
        previous = shown


@pytest.mark.parametrize(
    "typed", ["preference optimis", "preference optimisa", "preference optimisati"]
)
def test_a_british_word_being_typed_finds_the_american_spelling(
    seeded: Library, typed: str
) -> None:
    shown = seeded.search(typed, as_you_type=True, limit=1000)
    assert shown.notice is None  # exact matches, not the loosened ones
    assert {h.paper.id for h in shown.hits} >= {
        h.paper.id for h in seeded.search("preference optimization", limit=1000).hits
    }


def test_american_prefix_rewrites_only_british_spellings() -> None:
    from store.spelling import american_prefix

    assert american_prefix("optimisa") == "optimiza"
    assert american_prefix("modell") == "model"
    assert american_prefix("behaviou") == "behavio"
    for word in ("optimi", "rise", "noise", "advertis", "tra", "preci"):
        assert american_prefix(word) == word


@pytest.mark.parametrize("text", ["transformers -", "diffusion OR", "quantization +"])
def test_a_dangling_operator_changes_nothing_while_typing(seeded: Library, text: str) -> None:
    stem = text.rsplit(" ", 1)[0]
    assert set(_titles(seeded, text, as_you_type=True)) == set(
        _titles(seeded, stem, as_you_type=True)
    )


def test_a_field_prefix_while_typing(seeded: Library) -> None:
    assert _titles(seeded, "org:nv", as_you_type=True) == _titles(seeded, "org:nvidia")


def test_a_word_on_its_way_gets_no_suggestion(seeded: Library) -> None:
    assert seeded.search("quant", as_you_type=True).suggestion is None


@pytest.mark.parametrize("query", ["model", "language model", "quantization", "learning -vision"])
@pytest.mark.parametrize("sort", ["relevance", "date", "upvotes"])
def test_windows_at_any_offset_agree(seeded: Library, query: str, sort: str) -> None:
    """A list that pages through the results shows every hit once, in one order."""
    whole = [h.paper.id for h in seeded.search(query, sort=sort, limit=1000).hits]  # type: ignore[arg-type]
    paged: list[str] = []
    for offset in range(0, len(whole), 37):
        window = seeded.search(query, sort=sort, offset=offset, limit=37)  # type: ignore[arg-type]
        paged += [h.paper.id for h in window.hits]
    assert paged == whole
