"""Every public function checks its argument types at the door: a ``TypeError`` naming the
argument, never an ``AttributeError`` from deep inside (issue 16)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import textforensics as tf

WRONG: list[Any] = [["text"], b"text", 42, None]

CALLS: dict[str, Callable[[Any], object]] = {
    "find_homoglyphs": tf.find_homoglyphs,
    "fix_homoglyphs": tf.fix_homoglyphs,
    "apply_plan": lambda w: tf.apply_plan(w, ()),
    "skeleton": tf.skeleton,
    "matching_form": tf.matching_form,
    "compare(a)": lambda w: tf.compare(w, "text"),
    "compare(b)": lambda w: tf.compare("text", w),
    "compare_many": lambda w: tf.compare_many([(w, "text")]),
    "strip_boilerplate": tf.strip_boilerplate,
    "learn_boilerplate": lambda w: tf.learn_boilerplate([w]),
    "index.add": lambda w: tf.DuplicateIndex().add("k", w),
    "index.query": lambda w: tf.DuplicateIndex().query(w),
}


@pytest.mark.parametrize("wrong", WRONG, ids=lambda w: type(w).__name__)
@pytest.mark.parametrize("name", list(CALLS))
def test_wrong_type_is_a_type_error_naming_the_argument(name: str, wrong: Any) -> None:
    with pytest.raises(TypeError, match=r"must be"):
        CALLS[name](wrong)


def test_one_str_is_not_a_list_of_pages() -> None:
    with pytest.raises(TypeError, match="not one str"):
        tf.learn_boilerplate("one page")
