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


# --- record classes against their dataclass twins (textforensics.results.Record) ---

from textforensics.results import (  # noqa: E402
    HomoglyphChar,
    HomoglyphFinding,
    Record,
    field_names,
    twin,
)

_RECORD_CLASSES = (Span, Finding, HomoglyphChar, HomoglyphFinding)
_value = st.one_of(
    st.integers(),
    st.text(max_size=8),
    st.none(),
    st.tuples(st.integers(), st.text(max_size=3)),
)


def _kwargs(cls: type, draw: st.DrawFn) -> dict[str, object]:
    return {name: draw(_value) for name in field_names(cls)}


@st.composite
def _pair_of_values(draw: st.DrawFn) -> tuple[type, dict[str, object], dict[str, object]]:
    cls = draw(st.sampled_from(_RECORD_CLASSES))
    first = _kwargs(cls, draw)
    second = dict(first) if draw(st.booleans()) else _kwargs(cls, draw)
    return cls, first, second


def test_records_are_not_made_by_dataclass_but_have_its_metadata() -> None:
    import inspect

    for cls in _RECORD_CLASSES:
        made = twin(cls)
        assert dataclasses.is_dataclass(cls)
        assert "__dataclass_fields__" not in vars(cls)  # read from the twin
        assert [f.name for f in dataclasses.fields(cls)] == [
            f.name for f in dataclasses.fields(made)
        ]
        assert [f.type for f in dataclasses.fields(cls)] == [
            f.type for f in dataclasses.fields(made)
        ]
        assert (
            field_names(cls) == cls.record_fields == tuple(f.name for f in dataclasses.fields(made))
        )
        assert dataclasses.fields(cls)[0].kw_only
        assert cls.__dataclass_params__.frozen
        assert cls.__match_args__ == made.__match_args__ == ()
        assert (cls.__qualname__, cls.__module__) == (made.__qualname__, made.__module__)
        # the hand-written __init__ takes what the generated one takes
        mine = inspect.signature(cls).parameters
        theirs = inspect.signature(made).parameters
        assert [(p.name, p.kind, p.default) for p in mine.values()] == [
            (p.name, p.kind, p.default) for p in theirs.values()
        ]
        assert [str(p.annotation) for p in mine.values()] == [
            str(p.annotation) for p in theirs.values()
        ]
        # slots: every field a slot (the record's own in its own __slots__), no __dict__
        slots = {s for k in cls.__mro__ for s in vars(k).get("__slots__", ())}
        assert set(field_names(cls)) <= slots
        assert not hasattr(cls(**dict.fromkeys(field_names(cls))), "__dict__")
        assert twin(cls) is made  # one twin per class
    assert issubclass(HomoglyphFinding, Record)


@given(_pair_of_values())
def test_record_methods_equal_the_generated_ones(
    case: tuple[type, dict[str, object], dict[str, object]],
) -> None:
    import copy
    import pickle

    cls, first, second = case
    made = twin(cls)
    a, b = cls(**first), cls(**second)
    ta, tb = made(**first), made(**second)
    assert repr(a) == repr(ta)
    assert (a == b) == (ta == tb)
    assert (a != b) == (ta != tb)
    assert hash(a) == hash(ta)
    assert a != ta  # another class, as for two dataclasses
    assert a.__eq__(ta) is NotImplemented
    assert dataclasses.asdict(a) == dataclasses.asdict(ta)
    assert dataclasses.astuple(a) == dataclasses.astuple(ta)
    assert a.to_dict() == to_jsonable(ta)
    for restored in (pickle.loads(pickle.dumps(a)), copy.copy(a), copy.deepcopy(a)):
        assert type(restored) is cls
        assert restored == a
        assert hash(restored) == hash(a)
    name = field_names(cls)[-1]
    changed = dataclasses.replace(a, **{name: second[name]})
    assert type(changed) is cls
    assert repr(changed) == repr(dataclasses.replace(ta, **{name: second[name]}))
    for obj in (a, ta):  # the same error, the same message
        with pytest.raises(
            dataclasses.FrozenInstanceError, match=f"cannot assign to field '{name}'"
        ):
            setattr(obj, name, 1)
        with pytest.raises(dataclasses.FrozenInstanceError, match=f"cannot delete field '{name}'"):
            delattr(obj, name)


def test_a_record_refuses_unknown_fields_and_positions() -> None:
    for cls in _RECORD_CLASSES:
        kwargs = dict.fromkeys(field_names(cls))
        with pytest.raises(TypeError):
            cls(**kwargs, extra=1)
        with pytest.raises(TypeError):
            cls(*kwargs.values())
        with pytest.raises(TypeError):
            cls(**dict(list(kwargs.items())[1:]))  # a missing field
        with pytest.raises(dataclasses.FrozenInstanceError):
            cls(**kwargs).not_a_field = 1  # type: ignore[attr-defined]


def test_a_dataclass_may_derive_from_a_record() -> None:
    # TextBlock is a real dataclass on top of the record Finding: its own methods and fields.
    from textforensics.results import TextBlock

    names = [f.name for f in dataclasses.fields(TextBlock)]
    assert names[: len(field_names(Finding))] == list(field_names(Finding))
    assert field_names(TextBlock) == tuple(names)
    block = TextBlock(
        start=0, end=1, line=1, column=1, kind="content", severity="info", message="m",
        label="content", score=0.5,
    )  # fmt: skip
    assert block.to_dict()["score"] == 0.5
    assert "label='content'" in repr(block)
