"""The five real saved pages in ../shared/seeds (skipped when they are absent)."""

import re
from datetime import date
from pathlib import Path

from store import Library
from store.records import paper_id


def test_seed_corpus_imports_completely(seeds: Path, tmp_path: Path) -> None:
    library = Library.open(tmp_path / "lib")
    report = library.import_pages([seeds])
    assert report.ok and not report.warnings
    assert report.pages == 5
    assert report.papers_seen == 96 + 91 + 96 + 96 + 78
    assert library.count() == 380  # 457 sightings, 63 titles on more than one page
    multi = [p for p in library.all_papers() if len({s.page for s in p.sightings}) > 1]
    assert len(multi) == 63


def test_seed_papers_read_from_the_pages(seeds: Path, tmp_path: Path) -> None:
    library = Library.open(tmp_path / "lib")
    library.import_pages([seeds])
    # 001, Nov 12: "Pretraining Large Language Models with NVFP4", nvidia NVIDIA, "Sep 29 2";
    # the newest explicit year on that page is 2024, so the page is from 2025.
    nvfp4 = library.get(paper_id("Pretraining Large Language Models with NVFP4"))
    assert (nvfp4.organization, nvfp4.upvotes, nvfp4.published) == ("NVIDIA", 2, date(2025, 9, 29))
    # 001: TorchTitan, 13 authors, "Oct 8, 2024 1".
    titan = library.search('"TorchTitan"').hits[0].paper
    assert (titan.authors_count, titan.published, titan.upvotes) == (13, date(2024, 10, 8), 1)
    # 000 and 004 both carry TÜLU 3; its abstract has T\"ULU in the raw text.
    tulu = library.search("tulu 3 post-training").hits[0].paper
    assert tulu.title.startswith("TÜLU 3") and 'T\\"ULU' in tulu.abstract_raw
    assert "T\\" not in tulu.abstract and "TÜLU 3" in tulu.abstract
    assert {s.page[:3] for s in tulu.sightings} == {"000", "004"}
    # SteloCoder (000): Rozi\`ere becomes Rozière; its code link is extracted.
    stelo = library.search("SteloCoder").hits[0].paper
    assert "Rozière" in stelo.abstract
    assert stelo.links == ["https://github.com/sade-adrien/SteloCoder"]
    # OpenELM (000): two links.
    openelm = library.search("title:OpenELM").hits[0].paper
    assert openelm.links == [
        "https://github.com/apple/corenet",
        "https://huggingface.co/apple/OpenELM",
    ]


def test_seed_search_behaviour(seeds: Path, tmp_path: Path) -> None:
    library = Library.open(tmp_path / "lib")
    library.import_pages([seeds])
    assert library.search("tulu").total >= 1
    spellings = [library.search(q).total for q in ("finetuning", "fine-tuning", "fine tuning")]
    assert len(set(spellings)) == 1 and spellings[0] > 50
    assert library.search("org:nvidia").total >= 1
    assert library.search("year:2024").total > 10


def test_seed_abstracts_carry_no_latex_residue(seeds: Path, tmp_path: Path) -> None:
    """sim3x, leq 2%, 2times stayed as the site left them; ' -- ' came out two ways."""
    import re

    library = Library.open(tmp_path / "lib")
    library.import_pages([seeds])
    papers = library.all_papers()
    residue = re.compile(r"\bsim\d|\bleq\b|\bgeq\b|\d ?times\b|circledR|textit\{")
    found = [(p.title, m.group(0)) for p in papers if (m := residue.search(p.abstract))]
    assert found == []
    dashed = [p for p in papers if " -- " in p.abstract_raw]
    assert dashed and all(" – " in p.abstract and " -- " not in p.abstract for p in dashed)


def test_seed_import_says_each_pages_year_and_why(seeds: Path, tmp_path: Path) -> None:
    library = Library.open(tmp_path / "lib")
    report = library.import_pages([seeds])
    years = {Path(note.path).name[:3]: note.message for note in report.years}
    assert set(years) == {"000", "001", "002", "003", "004"}
    assert all(re.match(r"dates without a year read as \d{4} \(.+\)", m) for m in years.values())
    # 001 has explicit 2024 dates: its year is worked out from the page itself.
    assert "newest year on the page" in years["001"]
