"""The derived index carries a CACHEDIR.TAG: new, rebuilt, and given back on open."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from store import Library
from store.cachedir import SIGNATURE, TAG_NAME, has_tag
from store.index import folder_identity
from tests.helpers import set_index_schema


def _tag(library: Library) -> Path:
    return library.paths.index_dir / TAG_NAME


def _assert_tagged(library: Library) -> None:
    text = _tag(library).read_text(encoding="ascii")
    assert text.startswith(SIGNATURE + "\n")
    assert "paperdeck" in text and "paperdeck reindex" in text


def test_a_new_library_s_index_is_tagged(library: Library) -> None:
    _assert_tagged(library)
    assert library.info().index_ok and not library.notices


def test_an_imported_library_is_tagged_and_healthy(loaded: Library) -> None:
    _assert_tagged(loaded)
    root = loaded.paths.root
    loaded.close()
    with Library.open(root) as again:  # the tag is not taken for damage
        assert not again.notices and not again.rebuilt_on_open
        assert again.info().index_ok and again.count() == 6


def test_a_rebuilt_index_is_tagged(loaded: Library) -> None:
    before = folder_identity(loaded.paths.index_dir)
    assert loaded.reindex() == 6
    assert folder_identity(loaded.paths.index_dir) != before  # a new folder swapped in
    _assert_tagged(loaded)


def test_an_index_rebuilt_on_open_is_tagged(loaded: Library) -> None:
    root = loaded.paths.root
    set_index_schema(loaded.paths.index_dir, 0)
    loaded.close()
    with Library.open(root) as reopened:
        assert reopened.rebuilt_on_open
        _assert_tagged(reopened)


def test_a_deleted_tag_comes_back_on_open(loaded: Library) -> None:
    root = loaded.paths.root
    _tag(loaded).unlink()
    loaded.close()
    with Library.open(root) as reopened:
        assert not reopened.rebuilt_on_open and not reopened.notices
        _assert_tagged(reopened)


def test_a_wrong_tag_is_replaced(loaded: Library) -> None:
    root = loaded.paths.root
    _tag(loaded).write_text("not a tag\n")
    loaded.close()
    with Library.open(root) as reopened:
        _assert_tagged(reopened)


def test_a_read_only_library_opens_without_its_tag(
    loaded: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = loaded.paths.root
    _tag(loaded).unlink()
    loaded.close()

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with Library.open(root) as reopened:
        assert reopened.count() == 6 and not reopened.notices
        assert not has_tag(reopened.paths.index_dir)
    assert not list(root.rglob("*.tmp"))


def test_open_if_ready_does_not_write_the_tag(loaded: Library) -> None:
    root = loaded.paths.root
    _tag(loaded).unlink()
    loaded.close()
    ready = Library.open_if_ready(root)
    assert ready is not None
    ready.close()
    assert not (root / "index" / TAG_NAME).exists()


@pytest.mark.skipif(shutil.which("tar") is None, reason="no tar")
def test_tar_exclude_caches_leaves_the_index_out(loaded: Library, tmp_path: Path) -> None:
    root = loaded.paths.root
    archive = tmp_path / "backup.tar"
    subprocess.run(
        ["tar", "--exclude-caches-all", "-cf", str(archive), "-C", str(root), "."], check=True
    )
    names = subprocess.run(
        ["tar", "-tf", str(archive)], check=True, capture_output=True, text=True
    ).stdout.split()
    assert "./userdata.json" in names or any(n.startswith("./pages/") for n in names)
    assert not any(n.startswith("./index/") or n == "./index" for n in names), names
