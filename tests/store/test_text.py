from store.text import clean_latex, extract_links, fold, normalise_title, strip_control


def test_latex_accents_and_macros_become_unicode() -> None:
    assert clean_latex(r"T\"ULU 3 and T\"ulu") == "TÜLU 3 and Tülu"
    assert clean_latex(r"Rozi\`ere et al.") == "Rozière et al."
    assert clean_latex(r"\textbf{bold} and $\epsilon$-greedy") == "bold and ϵ-greedy"
    assert clean_latex(r"\eg we") == "e.g. we"


def test_percent_and_ampersand_are_text_not_latex() -> None:
    assert clean_latex("2.36% better, Sieve-&-Swap") == "2.36% better, Sieve-&-Swap"
    assert clean_latex(r"sim50\% and $x$") == "sim50% and x"


def test_unknown_macro_keeps_its_name() -> None:
    assert clean_latex(r"\model models are on the hub") == "model models are on the hub"


def test_links_survive_latex_cleaning() -> None:
    raw = r"\textbf{Code}: https://github.com/a_b/c_d."
    assert clean_latex(raw) == "Code: https://github.com/a_b/c_d."


def test_control_characters_are_stripped() -> None:
    assert strip_control("a\x1b[31mred\x07\u202e") == "a[31mred"
    assert clean_latex("x\x1b]0;title\x07y") == "x]0;titley"


def test_extract_links_trims_punctuation_and_dedupes() -> None:
    text = (
        "Code at https://github.com/x/y. Demo (https://x.io/demo) and "
        "https://github.com/x/y again; https://en.wikipedia.org/wiki/Foo_(bar)"
    )
    assert extract_links(text) == [
        "https://github.com/x/y",
        "https://x.io/demo",
        "https://en.wikipedia.org/wiki/Foo_(bar)",
    ]


def test_fold_and_title_identity() -> None:
    assert fold("TÜLU") == "tulu"
    assert normalise_title("TÜLU 3: Pushing Frontiers") == normalise_title(
        r"T\"ulu 3 - pushing  frontiers"
    )
    assert normalise_title("A: B") != normalise_title("A B C")
