"""Safe file input/output for the command line: encodings, chunks, errors, atomic writes."""

from __future__ import annotations

import codecs
import os
import stat
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from textforensics.app.files import (
    Encoding,
    InputError,
    discover,
    iter_chunks,
    read_text,
    sniff,
)
from textforensics.storage import atomic_write
from textforensics.text import LineIndex

TEXTS = st.text(
    alphabet=st.sampled_from([*list("ab \t\r\n."), "é", "е", "\u200b", "\u202e", "😀", "中"]),
    max_size=300,
)
ENCODINGS = st.sampled_from(
    [
        Encoding("utf-8"),
        Encoding("utf-8", codecs.BOM_UTF8),
        Encoding("utf-16-le", codecs.BOM_UTF16_LE),
        Encoding("utf-16-be", codecs.BOM_UTF16_BE),
        Encoding("utf-32-le", codecs.BOM_UTF32_LE),
    ]
)


@given(TEXTS, ENCODINGS, st.integers(1, 40))
def test_chunks_rebuild_the_text_with_true_positions(
    tmp_path_factory: pytest.TempPathFactory, text: str, enc: Encoding, chunk_chars: int
) -> None:
    path = tmp_path_factory.mktemp("c") / "f.txt"
    path.write_bytes(enc.bom + enc.encode(text))
    found: list[Encoding] = []
    chunks = list(iter_chunks(str(path), chunk_chars=chunk_chars, encoding_out=found))
    assert "".join(c.text for c in chunks) == text
    assert found == [enc] or (not text and found == [enc])
    index = LineIndex(text)
    for chunk in chunks:
        assert chunk.text
        assert index.position(chunk.offset) == (chunk.line, chunk.column)
        # a CRLF is never split between two chunks
        assert not (
            chunk.text.endswith("\r") and text[chunk.offset + len(chunk.text) :][:1] == "\n"
        )


def test_invalid_utf8_names_the_byte_offset(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(b"line one\nline two \xff\xfe here\n")
    with pytest.raises(InputError) as info:
        read_text(str(path))
    assert info.value.reason == "decode"
    assert info.value.fatal
    assert "byte offset 18" in info.value.detail
    assert "line 2" in info.value.detail


def test_invalid_utf8_far_into_a_large_file(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    good = b"x" * 3_000_001
    path.write_bytes(good + b"\xc3(" + b"y" * 10)
    with pytest.raises(InputError, match="byte offset 3000001"):
        for _ in iter_chunks(str(path), chunk_chars=1 << 20):
            pass


def test_truncated_multibyte_sequence_at_end(tmp_path: Path) -> None:
    path = tmp_path / "cut.txt"
    path.write_bytes("abc é".encode()[:-1])
    with pytest.raises(InputError, match="byte offset 4"):
        read_text(str(path))


def test_binary_is_skipped_not_fatal(tmp_path: Path) -> None:
    path = tmp_path / "x.bin"
    path.write_bytes(b"\x7fELF\x02\x01\x01\x00\x00\x00" + bytes(range(256)))
    with pytest.raises(InputError) as info:
        read_text(str(path))
    assert info.value.reason == "binary"
    assert not info.value.fatal


def test_utf16_with_bom_is_text_not_binary() -> None:
    data = codecs.BOM_UTF16_LE + "hello".encode("utf-16-le")
    assert sniff(data) == Encoding("utf-16-le", codecs.BOM_UTF16_LE)
    assert sniff(b"a\x00b") is None
    assert sniff(b"") == Encoding("utf-8")


def test_missing_directory_and_empty(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        read_text(str(tmp_path / "nope.txt"))
    assert info.value.reason == "missing"
    with pytest.raises(InputError) as info:
        read_text(str(tmp_path))
    assert info.value.reason == "directory"
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert read_text(str(empty)) == ("", Encoding("utf-8"))
    assert list(iter_chunks(str(empty))) == []


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads everything")
def test_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("x")
    path.chmod(0)
    with pytest.raises(InputError) as info:
        read_text(str(path))
    assert info.value.reason == "unreadable"


def test_too_large_for_whole_file_commands(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("word " * 1000)
    with pytest.raises(InputError) as info:
        read_text(str(path), max_chars=100)
    assert info.value.reason == "too_large"


def test_atomic_write_keeps_mode_and_links(tmp_path: Path) -> None:
    target = tmp_path / "t.txt"
    target.write_bytes(b"old")
    target.chmod(0o640)
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    atomic_write(str(link), [b"new ", b"data"])
    assert link.is_symlink()
    assert target.read_bytes() == b"new data"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.txt", "t.txt"]


def test_atomic_write_failure_leaves_original(tmp_path: Path) -> None:
    target = tmp_path / "t.txt"
    target.write_bytes(b"original")

    def pieces() -> list[bytes]:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        atomic_write(str(target), (p for p in pieces()))
    assert target.read_bytes() == b"original"
    assert [p.name for p in tmp_path.iterdir()] == ["t.txt"]


def test_discover_walks_sorted_with_globs(tmp_path: Path) -> None:
    for rel in ["b.txt", "a.md", "sub/c.txt", "sub/deep/d.txt", ".git/config", "vendor/e.txt"]:
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("x")
    root = str(tmp_path)
    rel = [os.path.relpath(p, root) for p in discover([root])]
    assert rel == ["a.md", "b.txt", "sub/c.txt", "sub/deep/d.txt", "vendor/e.txt"]
    rel = [
        os.path.relpath(p, root) for p in discover([root], include=["*.txt"], exclude=["vendor/"])
    ]
    assert rel == ["b.txt", "sub/c.txt", "sub/deep/d.txt"]
    rel = [os.path.relpath(p, root) for p in discover([root], exclude=["sub/deep"])]
    assert rel == ["a.md", "b.txt", "sub/c.txt", "vendor/e.txt"]
    # files named explicitly are kept (even missing ones, so they can be reported)
    assert list(discover(["nope.txt", "-"])) == ["nope.txt", "-"]
