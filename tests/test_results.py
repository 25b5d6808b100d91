"""Result types: frozen, slotted, keyword-only, JSON-ready."""

from __future__ import annotations

import dataclasses
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

import textforensics as tf
from textforensics.results import SEVERITIES, Finding, Span, severity_rank, to_jsonable


def test_finding_is_frozen_slotted_kw_only() -> None:
    f = Finding(start=0, end=1, line=1, column=1, kind="x", severity="info", message="m")
    with pytest.raises(dataclasses.FrozenInstanceError):
        f.start = 3  # type: ignore[misc]
    assert not hasattr(f, "__dict__")
    with pytest.raises(TypeError):
        Finding(0, 1, 1, 1, "x", "info", "m")  # type: ignore[misc]


@given(
    st.integers(0, 10**6),
    st.integers(0, 10**6),
    st.text(),
    st.sampled_from(SEVERITIES),
)
def test_to_dict_round_trips_through_json(start: int, length: int, msg: str, sev: str) -> None:
    f = Finding(
        start=start,
        end=start + length,
        line=1,
        column=1,
        kind="k",
        severity=sev,
        message=msg,  # type: ignore[arg-type]
    )
    d = f.to_dict()
    assert json.loads(json.dumps(d)) == d
    assert Finding(**d) == f


def test_to_jsonable_nested() -> None:
    span = Span(start=0, end=2, line=1, column=1, end_line=1, end_column=2)
    assert to_jsonable({"a": (span, frozenset({2, 1}))}) == {"a": [span.to_dict(), [1, 2]]}
    with pytest.raises(TypeError):
        to_jsonable(object())


def test_severity_order() -> None:
    assert [severity_rank(s) for s in ("info", "warning", "error")] == [0, 1, 2]


def test_public_api_exports() -> None:
    for name in tf.__all__:
        assert hasattr(tf, name), name
    assert tf.UNICODE_VERSION == "17.0.0"
