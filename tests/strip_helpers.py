"""Checks shared by the stripper's property tests."""

from __future__ import annotations

import textforensics as tf
from textforensics.boilerplate import KINDS


def check_partition(text: str, result: tf.StripResult) -> None:
    """The blocks tile ``text`` in order, the kept text is the content blocks joined, and
    every removed block has a known kind and a reason."""
    pos = 0
    for b in result.blocks:
        assert b.start == pos
        assert b.end > b.start
        pos = b.end
    assert pos == len(text)
    assert "".join(text[b.start : b.end] for b in result.blocks) == text
    kept = "".join(text[b.start : b.end] for b in result.blocks if b.label == "content")
    assert kept == result.text
    assert result.removed == tuple(b for b in result.blocks if b.label == "boilerplate")
    for b in result.removed:
        assert b.kind in KINDS
        assert b.reason
    for b in result.blocks:
        if b.label == "content":
            assert b.kind == "content"
