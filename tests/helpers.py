"""What many tests share: the fixture pages, a page writer, the seed folder."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
HF_FIXTURES = Path(__file__).parent / "hf_fixtures"  # the site's JSON and saved HTML
SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"

HEADER = (
    "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\n"
    "byAK and the research community\n\n{date}\n\n"
)


def make_page(papers: list[tuple[str, str] | tuple[str, str, str]], date: str = "Mar 11") -> str:
    """A page in the saved format: (title, abstract[, metadata block]) per paper."""
    body = []
    for paper in papers:
        body.append(paper[0])
        body.append(paper[1])
        if len(paper) == 3:
            body.append(paper[2])
    return HEADER.format(date=date) + "\n\n".join(body) + "\n"


def write(path: Path, text: str | bytes) -> Path:
    """Write ``text`` (UTF-8) or bytes to ``path``; returns the path."""
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return path


def set_index_schema(index_dir: Path, schema: int) -> None:
    """Make the index look as if another paperdeck version had built it."""
    import json

    state_file = index_dir / "paperdeck-state.json"
    state = json.loads(state_file.read_text())
    state["schema"] = schema
    state_file.write_text(json.dumps(state))


def library_of_fixtures(root: Path) -> Path:
    """A library at ``root`` holding the fixture pages (the app tests' library)."""
    from store import Library

    with Library.open(root) as library:
        library.import_pages([FIXTURES])
    return root
