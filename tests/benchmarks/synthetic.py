"""Synthetic saved papers pages in the real format, for benchmarks and scale tests.

Deterministic for a given seed: words are drawn with the frequencies of real abstracts
(``wordfreq.txt``, from the five saved seed pages), about one paper in five reappears on
a later page, a few abstracts carry LaTeX residue and links, and about half the papers
have a metadata block.
"""

from __future__ import annotations

import itertools
import random
from pathlib import Path

_FREQ_FILE = Path(__file__).with_name("wordfreq.txt")


def _load_words() -> tuple[list[str], list[float]]:
    words: list[str] = []
    weights: list[float] = []
    for line in _FREQ_FILE.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        word, count = line.rsplit(" ", 1)
        words.append(word)
        weights.append(float(count))
    return words, weights


ORGS = [
    ("nvidia", "NVIDIA"),
    ("google", "Google"),
    ("meta-llama", "Meta Llama"),
    ("allenai", "Ai2"),
    ("codefuse-ai", "CodeFuse AI"),
    ("deepseek-ai", "DeepSeek"),
]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
HEADER = (
    "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\n"
    "{daily}byAK and the research community\n\n{date}\n\n"
)


class _Zipf:
    """Samples words with the frequencies of real abstracts (tests/benchmarks/wordfreq.txt)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.vocabulary, weights = _load_words()
        self.cumulative = list(itertools.accumulate(weights))

    def words(self, count: int) -> list[str]:
        return self.rng.choices(self.vocabulary, cum_weights=self.cumulative, k=count)


def _title(zipf: _Zipf, number: int) -> str:
    words = zipf.words(zipf.rng.randint(5, 12))
    name = f"Model{number:x}".upper()[:8]
    return f"{name}: " + " ".join(words).capitalize()


def _abstract(zipf: _Zipf) -> str:
    sentences = []
    for _ in range(zipf.rng.randint(6, 10)):
        sentences.append(" ".join(zipf.words(zipf.rng.randint(12, 26))).capitalize() + ".")
    roll = zipf.rng.random()
    if roll < 0.04:
        sentences.append(r"We call it T\"ULU-like with $\epsilon$-greedy \textbf{sampling}, \eg.")
    elif roll < 0.25:
        sentences.append(
            f"Code is available at https://github.com/lab/repo{zipf.rng.randint(1, 10**6)}."
        )
    return " ".join(sentences)


def _meta(rng: random.Random) -> str | None:
    if rng.random() < 0.5:
        return None
    first = (
        f"  • {rng.randint(1, 40)} authors" if rng.random() < 0.85 else " ".join(rng.choice(ORGS))
    )
    day = f"{rng.choice(MONTHS)} {rng.randint(1, 28)}"
    if rng.random() < 0.7:
        day += f", {rng.randint(2019, 2024)}"
    if rng.random() < 0.6:
        day += f" {rng.randint(1, 300)}"
    return f"{first}\n·\n{day}"


def generate_pages(folder: Path, papers: int, *, per_page: int = 100, seed: int = 7) -> list[Path]:
    """Write pages holding ``papers`` distinct papers (plus repeats); returns their paths."""
    rng = random.Random(seed)
    zipf = _Zipf(rng)
    folder.mkdir(parents=True, exist_ok=True)
    pool: list[tuple[str, str]] = []
    paths: list[Path] = []
    page_number = 0
    while len(pool) < papers:
        blocks = []
        for _ in range(per_page):
            if pool and (rng.random() < 0.2 or len(pool) >= papers):
                title, abstract = rng.choice(pool)
            else:
                title, abstract = _title(zipf, len(pool)), _abstract(zipf)
                pool.append((title, abstract))
            blocks.append(title)
            blocks.append(abstract)
            if meta := _meta(rng):
                blocks.append(meta)
        header = HEADER.format(
            daily="Daily Papers\n\n" if page_number % 2 else "",
            date=f"{rng.choice(MONTHS)} {rng.randint(1, 28)}",
        )
        path = folder / f"page_{page_number:05d}.txt"
        path.write_text(header + "\n\n".join(blocks) + "\n", encoding="utf-8")
        paths.append(path)
        page_number += 1
    return paths
