import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store import Library, LibraryBusyError, NotFoundError
from store.records import paper_id
from tests.helpers import FIXTURES, make_page, set_index_schema, write

TULU = paper_id("TÜLU 3: Pushing Frontiers in Open Language Model Post-Training")


def titles(results: object) -> list[str]:
    return [hit.paper.title for hit in results.hits]  # type: ignore[attr-defined]


def test_import_counts_and_merges_the_same_paper(loaded: Library) -> None:
    # daily has 4 papers, weekly 3, one of them (Tülu) on both pages.
    assert loaded.count() == 6
    tulu = loaded.get(TULU)
    assert len(tulu.sightings) == 2
    assert {s.page for s in tulu.sightings} == {"daily.txt", "weekly.txt"}
    # Fields come from the richest sighting (daily has a date, upvotes, authors).
    assert tulu.title == "TÜLU 3: Pushing Frontiers in Open Language Model Post-Training"
    assert (tulu.published, tulu.upvotes, tulu.authors_count) == (date(2024, 10, 8), 1, 13)
    assert tulu.abstract.startswith("We introduce TÜLU 3, a family")
    assert tulu.abstract_raw.startswith('We introduce T\\"ULU 3')
    assert tulu.links == ["https://github.com/allenai/open-instruct"]


def test_merge_does_not_depend_on_import_order(tmp_path: Path) -> None:
    a = Library.open(tmp_path / "a")
    a.import_pages([FIXTURES / "daily.txt", FIXTURES / "weekly.txt"])
    b = Library.open(tmp_path / "b")
    b.import_pages([FIXTURES / "weekly.txt"])
    b.import_pages([FIXTURES / "daily.txt"])
    assert a.get(TULU).model_dump(exclude={"sightings"}) == b.get(TULU).model_dump(
        exclude={"sightings"}
    )
    assert len(b.get(TULU).sightings) == 2


def test_reimport_changes_nothing(loaded: Library) -> None:
    before = loaded.get(TULU)
    report = loaded.import_pages([FIXTURES / "daily.txt", FIXTURES / "weekly.txt"])
    assert (report.pages, report.pages_unchanged, report.new_papers) == (0, 2, 0)
    assert loaded.get(TULU) == before
    assert loaded.count() == 6


def test_bad_files_are_reported_and_good_ones_imported(library: Library, tmp_path: Path) -> None:
    empty = write(tmp_path / "empty.txt", "")
    html = write(tmp_path / "page.html", "<!doctype html><html></html>")
    binary = write(tmp_path / "x.bin", bytes(range(256)) * 4)
    missing = tmp_path / "missing.txt"
    report = library.import_pages([empty, FIXTURES / "daily.txt", html, binary, missing])
    assert report.pages == 1 and library.count() == 4
    lines = [f.line() for f in report.failures]
    assert len(lines) == 4
    assert any("empty.txt" in line and "empty" in line for line in lines)
    assert any("page.html" in line and "HTML" in line for line in lines)
    assert any("x.bin" in line and "binary" in line for line in lines)
    assert any("missing.txt" in line and "no such file" in line for line in lines)
    assert not report.ok


def test_folder_import(library: Library) -> None:
    report = library.import_pages([FIXTURES])
    assert report.ok and report.pages == 2 and library.count() == 6


def test_search_basics(loaded: Library) -> None:
    assert titles(loaded.search("tulu"))[0].startswith("TÜLU 3")
    assert loaded.search("TÜLU").total == loaded.search("tulu").total == 1
    # stemming
    assert "Diffusion Transformers for Image Synthesis" in titles(loaded.search("transformer"))
    # terms are ANDed
    assert loaded.search("diffusion quantized").total == 0
    assert loaded.search("diffusion OR quantized").total == 2
    assert loaded.search("transformers NOT diffusion").total == 1
    assert loaded.search('"latent patches"').total == 1
    wrong_order = loaded.search('"patches latent"')
    assert wrong_order.notice and "No exact matches" in wrong_order.notice


def test_minus_excludes_and_plus_requires_as_in_web_search(loaded: Library) -> None:
    with_diffusion = set(titles(loaded.search("transformers")))
    assert "Diffusion Transformers for Image Synthesis" in with_diffusion
    without = set(titles(loaded.search("transformers -diffusion")))
    assert without == with_diffusion - {"Diffusion Transformers for Image Synthesis"}
    assert without == set(titles(loaded.search("transformers NOT diffusion")))
    assert titles(loaded.search("+transformers -diffusion")) == titles(
        loaded.search("transformers -diffusion")
    )
    everything = loaded.search("").total
    assert loaded.search("-diffusion").total == everything - 1
    assert loaded.search("title:(transformers -diffusion)").total == len(
        without & set(titles(loaded.search("title:transformers")))
    )
    # a hyphen inside a word is part of it, and as-you-type excludes too
    assert loaded.search("fine-tuning").total == loaded.search("finetuning").total
    typed = loaded.search("transformers -diffusion", as_you_type=True)
    assert "Diffusion Transformers for Image Synthesis" not in titles(typed)


def test_empty_query_lists_everything_newest_first(loaded: Library) -> None:
    results = loaded.search("")
    assert results.total == 6 and results.sort == "published"
    # Newest publication first; papers without a publication date come last.
    dated = [h.paper.published for h in results.hits if h.paper.published]
    assert dated == sorted(dated, reverse=True)
    undated = [i for i, h in enumerate(results.hits) if h.paper.published is None]
    assert undated == list(range(len(dated), 6))
    assert results.hits[0].paper.published == max(dated)
    assert loaded.search("", sort="date").sort == "published"  # the older name still works


def test_seen_orders_by_arrival(
    library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import UTC, datetime

    import store.importer as importer_module

    first = write(
        tmp_path / "a.txt", make_page([("An Older Arrival", "x.", "• 2 authors\n·\nMar 3, 2025")])
    )
    later = write(tmp_path / "b.txt", make_page([("A Newer Arrival", "y.")]))
    monkeypatch.setattr(importer_module, "_now", lambda: datetime(2026, 1, 1, tzinfo=UTC))
    library.import_pages([first])
    monkeypatch.setattr(importer_module, "_now", lambda: datetime(2026, 2, 1, tzinfo=UTC))
    library.import_pages([later])
    assert [h.paper.title for h in library.search("", sort="seen").hits] == [
        "A Newer Arrival",
        "An Older Arrival",
    ]
    assert [h.paper.title for h in library.search("", sort="published").hits] == [
        "An Older Arrival",  # dated
        "A Newer Arrival",  # undated: last
    ]
    library.reindex()  # the arrival time survives a rebuild
    assert library.search("", sort="seen").hits[0].paper.title == "A Newer Arrival"
    assert library.get(library.search("newer").hits[0].paper.id).first_seen == datetime(
        2026, 2, 1, tzinfo=UTC
    )


def test_compound_spellings_meet(loaded: Library) -> None:
    found = {q: set(titles(loaded.search(q))) for q in ("finetuning", "fine-tuning", "fine tuning")}
    assert found["finetuning"] == found["fine-tuning"] == found["fine tuning"]
    assert {
        "Efficient Finetuning of Quantized LLMs",
        "Parameter-efficient fine tuning of transformers",
        "[MASK] Is Not All You Need",
    } <= found["finetuning"]


def test_field_prefixes_and_ranges(loaded: Library) -> None:
    assert titles(loaded.search("org:nvidia")) == ["Pretraining Large Language Models with NVFP4"]
    assert titles(loaded.search("title:diffusion")) == [
        "Diffusion Transformers for Image Synthesis"
    ]
    assert loaded.search("abstract:diffusion").total == 1
    assert (
        titles(loaded.search("year:2022", sort="title"))
        == [
            "[MASK] Is Not All You Need",
            "Diffusion Transformers for Image Synthesis",
        ][::-1]
        or loaded.search("year:2022").total == 2
    )
    assert loaded.search("upvotes:>=10").total == 2
    assert loaded.search("upvotes:>=1000").total == 1


def test_prefix_and_fuzzy(loaded: Library) -> None:
    assert titles(loaded.search("quant*")) == ["Efficient Finetuning of Quantized LLMs"]
    assert loaded.search("transf*").total == 2
    assert "Diffusion Transformers for Image Synthesis" in titles(loaded.search("transfromer~"))


def test_no_hits_retries_loosely_and_says_so(loaded: Library) -> None:
    results = loaded.search("transfomers")
    assert results.total > 0
    assert results.notice and "No exact matches" in results.notice


def test_a_misspelt_word_being_typed_finds_near_spellings(loaded: Library) -> None:
    typed = loaded.search("difusion", as_you_type=True)
    assert "Diffusion Transformers for Image Synthesis" in titles(typed)
    assert typed.notice and "near-spelling" in typed.notice
    assert typed.suggestion == "diffusion"
    # a word on its way to a real one is not "corrected"
    assert loaded.search("transf", as_you_type=True).notice is None


def test_did_you_mean(loaded: Library) -> None:
    results = loaded.search("difusion")
    assert results.suggestion == "diffusion"


@pytest.mark.parametrize(
    "query", ['"unbalanced', "title:", "AND OR", "((((", "~", "*", "a:b:c", "upvotes:>=x"]
)
def test_malformed_queries_never_raise(loaded: Library, query: str) -> None:
    loaded.search(query)


def test_sorting_and_pagination(loaded: Library) -> None:
    by_title = titles(loaded.search("", sort="title", limit=100))
    assert by_title == sorted(by_title, key=lambda t: t.casefold().lstrip("[")) or by_title[
        0
    ].startswith("[")
    page1 = titles(loaded.search("", sort="title", limit=2))
    page2 = titles(loaded.search("", sort="title", limit=2, offset=2))
    assert page1 + page2 == by_title[:4]
    upvotes = [h.paper.upvotes or 0 for h in loaded.search("", sort="upvotes").hits]
    assert upvotes == sorted(upvotes, reverse=True)


def test_as_you_type_treats_last_word_as_prefix(loaded: Library) -> None:
    results = loaded.search("diffusion transf", as_you_type=True)
    assert titles(results) == ["Diffusion Transformers for Image Synthesis"]
    (first, second) = results.hits[0].title_spans
    assert first == (0, 9) and second[0] == 10 and second[1] >= 16
    whole_word = loaded.search("diffusion transf")  # not as you type: a whole word...
    assert whole_word.notice and "No exact matches" in whole_word.notice  # ...then loosened


@pytest.mark.parametrize(
    "query", ["quantized OR nvfp4", "title:quantized OR title:diffusion", "diffusion NOT image"]
)
def test_a_word_typed_after_an_operator_is_its_operand(loaded: Library, query: str) -> None:
    """``quantized OR nvf`` once ANDed the typed word: nothing, where the finished query
    finds two papers. Every prefix finds at least what the finished query finds."""
    finished = {h.paper.id for h in loaded.search(query, limit=50).hits}
    assert finished
    head, last = query.rsplit(" ", 1)
    word = last.split(":")[-1]
    field = last[: -len(word)]
    for end in range(3, len(word) + 1):
        typed = loaded.search(f"{head} {field}{word[:end]}", as_you_type=True, limit=50)
        assert finished <= {h.paper.id for h in typed.hits}, word[:end]


def test_highlight_spans_point_at_matches(loaded: Library) -> None:
    hit = loaded.search("quantized").hits[0]
    title = hit.paper.title
    assert [title[s:e] for s, e in hit.title_spans] == ["Quantized"]
    assert all(hit.fragment[s:e].lower().startswith("quantiz") for s, e in hit.fragment_spans)


def test_related_papers(loaded: Library) -> None:
    related = loaded.related(paper_id("Parameter-efficient fine tuning of transformers"))
    assert related and all(
        p.id != paper_id("Parameter-efficient fine tuning of transformers") for p in related
    )


def test_get_by_prefix_and_missing(loaded: Library) -> None:
    assert loaded.get(TULU[:6]).id == TULU
    with pytest.raises(NotFoundError):
        loaded.get("ffffffffffff")


def test_tags_and_notes_never_keep_control_characters(loaded: Library, tmp_path: Path) -> None:
    """However they arrive (API, backup, a hand-edited file), tags and notes lose escape
    sequences' control characters; tags are lower case, comma-free and unique."""
    loaded.bookmark(TULU, tags=["Survey,RL", "\x1b[31mRed", "survey rl"], note="a\x1b]0;x\x07b")
    paper = loaded.get(TULU)
    assert paper.tags == ["survey rl", "[31mred"]
    assert paper.note == "a]0;xb"
    backup = tmp_path / "backup.json"
    loaded.export_to(backup, "json")
    hostile = backup.read_text(encoding="utf-8").replace("[31mred", "\\u001b[2Jevil\\u009b")
    assert "\\u001b" in hostile
    backup.write_text(hostile, encoding="utf-8")
    with Library.open(tmp_path / "other") as other:
        other.import_pages([backup])
        assert other.get(TULU).tags == ["survey rl", "[2jevil"]
    document = json.loads(loaded.paths.userdata_file.read_text(encoding="utf-8"))
    for entry in document["entries"].values():
        entry["note"] = "\x1b[2J hand-edited"
    loaded.paths.userdata_file.write_text(json.dumps(document), encoding="utf-8")
    loaded.userdata.refresh()
    assert loaded.get(TULU).note == "[2J hand-edited"


def test_bookmarks_tags_notes_read(loaded: Library) -> None:
    paper = loaded.bookmark(TULU, tags=["LLM", "post-training"], note="read [MASK] later")
    assert paper.bookmarked and paper.tags == ["llm", "post-training"]
    assert loaded.search("tag:llm").total == 1
    assert loaded.search("tulu", bookmarked=True).total == 1
    assert [p.id for p in loaded.bookmarks(tag="llm")] == [TULU]
    loaded.set_tags(TULU, ["survey"])
    assert loaded.search("tag:llm").total == 0 and loaded.search("tag:survey").total == 1
    loaded.set_read(TULU)
    assert loaded.get(TULU).read and loaded.search("", read=True).total == 1
    loaded.unbookmark(TULU)
    assert loaded.bookmarks() == [] and loaded.get(TULU).note == "read [MASK] later"
    assert loaded.tags() == {"survey": 1}


def test_user_data_survives_reindex_and_schema_change(loaded: Library) -> None:
    loaded.bookmark(TULU, tags=["keep"], note="n")
    before = loaded.paths.userdata_file.read_bytes()
    loaded.reindex()
    assert loaded.paths.userdata_file.read_bytes() == before
    assert loaded.search("tag:keep").total == 1
    set_index_schema(loaded.paths.index_dir, 0)
    loaded.close()
    reopened = Library.open(loaded.paths.root)
    assert any("rebuilt" in n for n in reopened.notices)
    assert reopened.count() == 6 and reopened.get(TULU).note == "n"
    assert reopened.search("tag:keep").total == 1


def test_damaged_index_is_rebuilt(loaded: Library) -> None:
    root = loaded.paths.root
    loaded.close()
    segment_files = [
        f for f in (root / "index").iterdir() if f.suffix not in (".toc", "") and "_" in f.name
    ]
    assert segment_files
    for segment in segment_files:
        segment.write_bytes(b"garbage")
    reopened = Library.open(root)
    assert reopened.count() == 6
    assert reopened.notices


def test_missing_index_is_rebuilt(loaded: Library) -> None:
    import shutil

    root = loaded.paths.root
    loaded.close()
    shutil.rmtree(root / "index")
    reopened = Library.open(root)
    assert reopened.count() == 6 and reopened.notices


def test_corrupt_user_data_is_kept_aside_and_backup_used(loaded: Library) -> None:
    loaded.bookmark(TULU, note="first")
    loaded.set_note(TULU, "second")  # the .bak now holds "first"
    loaded.paths.userdata_file.write_text("{not json")
    loaded.close()
    reopened = Library.open(loaded.paths.root)
    assert reopened.get(TULU).note == "first"
    aside = list(loaded.paths.root.glob("userdata.json.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_text() == "{not json"
    assert any("damaged" in n for n in reopened.userdata.notices)


def test_second_writer_gets_a_clear_message(
    loaded: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    import store.index as index_module

    monkeypatch.setattr(index_module, "WRITE_LOCK_TIMEOUT_S", 0.2)
    other = Library.open(loaded.paths.root)
    page = write(loaded.paths.root.parent / "p.txt", make_page([("A brand new paper", "x.")]))
    with loaded._index.locked():
        with pytest.raises(LibraryBusyError, match="another paperdeck"):
            other.import_pages([page])
        assert other.search("tulu").total == 1  # readers keep working
    assert other.import_pages([page]).new_papers == 1  # and once the lock is free, it goes


def test_two_libraries_do_not_lose_each_others_bookmarks(loaded: Library) -> None:
    other = Library.open(loaded.paths.root)
    loaded.bookmark(TULU, tags=["a"])
    qlora = paper_id("Efficient Finetuning of Quantized LLMs")
    other.bookmark(qlora, tags=["b"])
    assert {p.id for p in loaded.bookmarks()} == {TULU, qlora}
    assert {p.id for p in other.bookmarks()} == {TULU, qlora}


def test_json_backup_restores_into_a_fresh_library(loaded: Library, tmp_path: Path) -> None:
    loaded.bookmark(TULU, tags=["x"], note="why it matters")
    loaded.set_read(TULU)
    out = tmp_path / "backup.json"
    assert loaded.export_to(out, "json") == 1
    fresh = Library.open(tmp_path / "fresh")
    report = fresh.import_pages([out])
    assert report.ok and report.restored_entries == 1
    paper = fresh.get(TULU)
    assert (paper.bookmarked, paper.tags, paper.note, paper.read) == (
        True,
        ["x"],
        "why it matters",
        True,
    )
    assert paper.abstract == loaded.get(TULU).abstract
    assert fresh.search("tag:x").total == 1
    fresh.reindex()  # the backup is a stored source too
    assert fresh.get(TULU).title.startswith("TÜLU")


def test_import_text(library: Library) -> None:
    report = library.import_text(make_page([("Pasted paper", "From the clipboard.")]))
    assert report.new_papers == 1 and library.search("clipboard").total == 1


def test_info(loaded: Library) -> None:
    loaded.bookmark(TULU)
    info = loaded.info()
    assert (info.papers, info.pages, info.bookmarks, info.index_ok) == (6, 2, 1, True)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=120), st.booleans())
def test_search_never_raises(loaded: Library, text: str, as_you_type: bool) -> None:
    results = loaded.search(text, as_you_type=as_you_type)
    assert results.total >= 0


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.sampled_from(
            [
                '"',
                ":",
                "(",
                ")",
                "*",
                "~",
                "AND",
                "OR",
                "NOT",
                "title",
                "tag",
                "x",
                "ü",
                "-",
                "^",
                "[",
                "]",
                "{",
                "}",
                "/",
                "\\",
                " ",
            ]
        ),
        max_size=30,
    )
)
def test_search_syntax_soup_never_raises(loaded: Library, parts: list[str]) -> None:
    loaded.search("".join(parts))
    loaded.search(" ".join(parts), as_you_type=True)


def test_userdata_file_is_json_with_format(loaded: Library) -> None:
    loaded.bookmark(TULU)
    document = json.loads(loaded.paths.userdata_file.read_text())
    assert document["format"] == "paperdeck-userdata" and TULU in document["entries"]


def test_listing_reads_rows_on_demand_in_order(loaded: Library) -> None:
    listing = loaded.listing("title")
    assert len(listing) == 6
    everything = [p.title for p in listing.papers(0, 6)]
    assert everything == titles(loaded.search("", sort="title", limit=10))
    assert [p.title for p in listing.papers(2, 4)] == everything[2:4]
    assert listing.position(TULU) == everything.index(loaded.get(TULU).title)
    loaded.bookmark(TULU)
    assert [p.id for p in listing.papers(0, 6) if p.bookmarked] == [TULU]  # user data is live
    marked = loaded.listing("date", bookmarked=True)
    assert len(marked) == 1 and marked.position(TULU) == 0
    assert loaded.listing("date", bookmarked=False).position(TULU) is None
    listing.close()


def test_empty_library_lists_and_searches(library: Library) -> None:
    assert library.count() == 0
    assert len(library.listing("date")) == 0
    for sort in ("relevance", "date", "upvotes", "title"):
        assert library.search("", sort=sort).total == 0  # type: ignore[arg-type]
    assert library.search("anything").total == 0
    assert library.bookmarks() == [] and library.info().papers == 0


def test_pages_a_killed_import_stored_are_finished_by_the_next_writer(
    loaded: Library, tmp_path: Path
) -> None:
    # What a killed import leaves: the page is stored, the index commit never happened.
    root = loaded.paths.root
    page = make_page([("A paper from a killed import", "Stored, never committed.")])
    loaded.sources.save(
        page.encode(), name="killed.txt", kind="page", year=None, fallback_year=2025
    )
    loaded.close()
    reopened = Library.open(root)  # a reader does not redo it
    assert reopened.search("killed import").total == 0
    info = reopened.info()
    assert info.pages_not_indexed == 1 and not info.index_ok
    other = write(tmp_path / "other.txt", make_page([("Another paper", "Imported later.")]))
    report = reopened.import_pages([other])  # the next import finishes it
    assert report.finished_sources == 1 and report.new_papers == 2
    assert reopened.search("killed import").total == 1
    assert reopened.info().index_ok


def test_finish_interrupted_says_so(loaded: Library) -> None:
    page = make_page([("A paper from a killed import", "Stored, never committed.")])
    loaded.sources.save(
        page.encode(), name="killed.txt", kind="page", year=None, fallback_year=2025
    )
    assert loaded.finish_interrupted().finished_sources == 1
    assert any("interrupted" in n for n in loaded.notices)
    assert loaded.search("killed import").total == 1
    assert loaded.finish_interrupted().finished_sources == 0  # once


def test_corrupt_user_data_without_a_good_copy_is_kept_aside(loaded: Library) -> None:
    loaded.bookmark(TULU)
    loaded.paths.userdata_backup.unlink(missing_ok=True)
    loaded.paths.userdata_file.write_bytes(b"\xff\xfe garbage")
    loaded.close()
    reopened = Library.open(loaded.paths.root)
    assert reopened.bookmarks() == []
    aside = list(loaded.paths.root.glob("userdata.json.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_bytes() == b"\xff\xfe garbage"
    assert any("no good copy" in n for n in reopened.userdata.notices)
    reopened.bookmark(TULU)  # and the library works on
    assert [p.id for p in reopened.bookmarks()] == [TULU]
    assert aside[0].read_bytes() == b"\xff\xfe garbage"  # never overwritten


def test_truncated_index_segment_is_rebuilt(loaded: Library) -> None:
    root = loaded.paths.root
    loaded.bookmark(TULU, tags=["kept"])
    loaded.close()
    postings = next((root / "index").glob("*.pst"))
    postings.write_bytes(postings.read_bytes()[: postings.stat().st_size // 3])
    reopened = Library.open(root)
    assert reopened.search("tulu").total == 1 or reopened.notices
    reopened.reindex()
    assert reopened.count() == 6 and reopened.search("tag:kept").total == 1


def test_listing_order_is_stable_when_user_data_changes(library: Library, tmp_path: Path) -> None:
    # Eight undated papers on one page: all tie on date.
    page = make_page([(f"Paper {letter} on ties", "Same day.") for letter in "HGFEDCBA"])
    library.import_pages([write(tmp_path / "ties.txt", page)])
    before = [p.id for p in library.listing("date").papers(0, 8)]
    for paper_id_ in before[:3]:
        library.set_read(paper_id_)  # rewrites the papers' documents (new docnums)
    assert [p.id for p in library.listing("date").papers(0, 8)] == before


def test_unbalanced_syntax_falls_back_to_the_plain_words(loaded: Library) -> None:
    for query in ['"unbalanced tulu', "title: ((( tulu", "tulu ) diffusion OR"]:
        results = loaded.search(query)
        assert results.notice and "plain words" in results.notice, query
    assert loaded.search("((( tulu").total == 1


def test_a_search_asked_again_is_answered_again_after_any_change(
    loaded: Library, tmp_path: Path
) -> None:
    """Answers are kept for a search asked again; a bookmark or an import makes new ones."""
    first = loaded.search("quantized")
    again = loaded.search("quantized")
    assert [h.paper.id for h in again.hits] == [h.paper.id for h in first.hits]
    assert again.hits[0] is first.hits[0]  # the kept answer
    loaded.bookmark(first.hits[0].paper.id)
    assert loaded.search("quantized").hits[0].paper.bookmarked
    assert loaded.search("tag:x OR quantized").total == 1
    page = make_page([("Quantized Everything Again", "Quantized weights, again.")])
    loaded.import_pages([write(tmp_path / "more.txt", page)])
    assert loaded.search("quantized").total == first.total + 1
