"""The boilerplate classifier as a value (model.json checked against the code's feature
names) and the shared tables of the stripper under threads."""

from __future__ import annotations

import dataclasses
import json
import random
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import textforensics as tf
from textforensics.boilerplate import BlockClassifier, ModelMismatchError, shipped_classifier
from textforensics.boilerplate.chars import CharTable, codepoints, flags_of, folds_of
from textforensics.boilerplate.classifier import Stage
from textforensics.boilerplate.features import (
    CONTEXT_COLUMN,
    FEATURES_1,
    FEATURES_2,
    FEATURES_OWN,
    windows,
)


def _model_text() -> str:
    path = resources.files("textforensics.data").joinpath("boilerplate/model.json")
    return path.read_text(encoding="utf-8")


def test_shipped_model_round_trips_byte_for_byte(tmp_path: Path) -> None:
    text = _model_text()
    clf = BlockClassifier.from_dict(json.loads(text))
    assert json.dumps(clf.to_dict(), indent=1) + "\n" == text
    path = tmp_path / "model.json"
    clf.save(path)
    assert path.read_text(encoding="utf-8") == text
    assert BlockClassifier.load(path).to_dict() == clf.to_dict()
    assert [p.name for p in tmp_path.iterdir()] == ["model.json"]  # no temporary left


def test_feature_names_are_the_models() -> None:
    data = json.loads(_model_text())
    assert data["features_stage1"] == list(FEATURES_1)
    assert data["features_stage2"] == list(FEATURES_2)
    assert FEATURES_1[: len(FEATURES_OWN)] == FEATURES_OWN
    assert len(set(FEATURES_2)) == len(FEATURES_2)
    assert sorted(CONTEXT_COLUMN.values()) == list(range(len(CONTEXT_COLUMN)))


def _swap(d: dict[str, Any]) -> None:
    names = d["features_stage1"]
    names[3], names[4] = names[4], names[3]


def _drop_last(d: dict[str, Any]) -> None:
    d["features_stage1"].pop()
    for k in ("mean", "scale", "weights"):
        d["stage1"][k].pop()


def _add_feature(d: dict[str, Any]) -> None:
    d["features_stage2"].append("new_feature")


DOCTORED: list[tuple[str, Callable[[dict[str, Any]], None], str]] = [
    ("swapped", _swap, "features_stage1[3] is 'ends_sentence', but the code's feature 3 is"),
    ("renamed", lambda d: d["features_stage2"].__setitem__(40, "in_span"), "[40] is 'in_span'"),
    ("dropped", _drop_last, "lists 33 features, the code 34; first unmatched: the code's"),
    ("added", _add_feature, "first unmatched: the model's 'new_feature'"),
    ("format", lambda d: d.__setitem__("format", "other/1"), "format 'other/1'"),
    ("weights", lambda d: d["stage2"]["weights"].pop(), "stage2: 48 weights, the code defines 49"),
    ("scales", lambda d: d["stage3"]["scale"].pop(), "stage3: 48 scale, the code defines 49"),
    ("no names", lambda d: d.pop("features_stage1"), "features_stage1 missing"),
    ("no stage2", lambda d: d.pop("stage2"), "stages ['stage1', 'stage3']"),
]


@pytest.mark.parametrize(("label", "doctor", "message"), DOCTORED, ids=[d[0] for d in DOCTORED])
def test_doctored_model_is_refused_naming_file_and_mismatch(
    tmp_path: Path, label: str, doctor: Callable[[dict[str, Any]], None], message: str
) -> None:
    data = json.loads(_model_text())
    doctor(data)
    path = tmp_path / f"{label.replace(' ', '_')}.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ModelMismatchError) as info:
        BlockClassifier.load(path)
    assert str(path) in str(info.value)
    assert message in str(info.value)
    assert isinstance(info.value, ValueError)


def test_fewer_stages_load() -> None:
    data = json.loads(_model_text())
    del data["stage3"]
    clf = BlockClassifier.from_dict(data)
    assert len(clf.stages) == 2
    result = tf.strip_boilerplate("Home\n\nA short page.\n", classifier=clf)
    assert [b.start for b in result.blocks] == [0, 6]


def test_explicit_classifier(seeds: dict[str, str]) -> None:
    clf = BlockClassifier.from_dict(json.loads(_model_text()))
    assert clf.threshold == shipped_classifier().threshold
    stricter = dataclasses.replace(clf, threshold=0.6)
    for text in seeds.values():
        assert tf.strip_boilerplate(text, classifier=clf) == tf.strip_boilerplate(text)
        assert tf.strip_boilerplate(text, classifier=stricter) == tf.strip_boilerplate(
            text, threshold=0.6
        )


@given(
    st.integers(min_value=1, max_value=6).flatmap(
        lambda k: st.tuples(
            st.lists(st.floats(-5, 5), min_size=k, max_size=k),
            st.lists(st.floats(0.1, 5), min_size=k, max_size=k),
            st.lists(st.floats(-3, 3), min_size=k, max_size=k),
            st.lists(st.lists(st.floats(-10, 10), min_size=k, max_size=k), max_size=8),
        )
    )
)
def test_stage_scores_match_standardized_logistic(
    args: tuple[list[float], list[float], list[float], list[list[float]]],
) -> None:
    mean, scale, weights, rows = args
    stage = Stage(mean=tuple(mean), scale=tuple(scale), weights=tuple(weights))
    got = stage.scores(np.array(rows, dtype=np.float64).reshape(len(rows), len(mean)))
    for row, p in zip(rows, got.tolist(), strict=True):
        z = sum((x - m) / s * w for x, m, s, w in zip(row, mean, scale, weights, strict=True))
        assert p == pytest.approx(1.0 / (1.0 + np.exp(-max(-50.0, min(50.0, z)))), abs=1e-9)


def _naive_windows(n: int) -> tuple[np.ndarray, np.ndarray]:
    lo = np.array([[max(i - r, 0) for i in range(n)] for r in (2, 5, 10)], dtype=np.int64)
    hi = np.array([[min(i + r + 1, n) for i in range(n)] for r in (2, 5, 10)], dtype=np.int64)
    return lo.reshape(3, n), hi.reshape(3, n)


@given(st.integers(min_value=0, max_value=9000))
def test_windows_match_naive(n: int) -> None:
    lo, hi, width = windows(n)
    nlo, nhi = _naive_windows(n)
    assert (lo == nlo).all()
    assert (hi == nhi).all()
    assert (width == nhi - nlo).all()


def test_windows_from_threads() -> None:
    sizes = [random.Random(i).randint(0, 20_000) for i in range(40)]
    expected = {n: _naive_windows(n) for n in set(sizes)}
    barrier = threading.Barrier(8)

    def worker(t: int) -> bool:
        barrier.wait()
        ok = True
        for n in random.Random(t).sample(sizes, len(sizes)):
            lo, hi, _width = windows(n)
            ok &= bool((lo == expected[n][0]).all() and (hi == expected[n][1]).all())
        return ok

    with ThreadPoolExecutor(8) as pool:
        assert all(pool.map(worker, range(8)))


def test_char_table_filled_from_threads() -> None:
    pages = list(range(0x30, 0x70))
    reference = CharTable()
    reference.fill_pages(pages)
    table = CharTable()
    barrier = threading.Barrier(8)

    def worker(t: int) -> bool:
        order = random.Random(t).sample(pages, len(pages))
        barrier.wait()
        ok = True
        for p in order:
            table.fill_pages([p], below=None)
            lo = p << 8
            # once filled, a page reads its final values
            ok &= bool((table.flags[lo : lo + 256] == reference.flags[lo : lo + 256]).all())
        return ok

    with ThreadPoolExecutor(8) as pool:
        assert all(pool.map(worker, range(8)))
    assert (table.filled == reference.filled).all()
    assert (table.flags == reference.flags).all()
    assert (table.fold == reference.fold).all()


@given(st.text(alphabet=st.characters(codec=None), max_size=80))
def test_lazy_table_matches_a_table_filled_up_front(text: str) -> None:
    cps = codepoints(text).astype(np.uint32)
    eager = CharTable()
    eager.fill_pages(sorted({cp >> 8 for cp in cps.tolist()}))
    assert flags_of(cps).tolist() == eager.flags[cps].tolist()
    assert folds_of(cps).tolist() == eager.fold[cps].tolist()


def test_saves_are_atomic_and_keep_permissions(tmp_path: Path) -> None:
    import os
    import stat

    from textforensics.boilerplate.save import save_text_atomically

    path = tmp_path / "site.json"
    model = tf.learn_boilerplate(["Menu\nBody one.\n", "Menu\nBody two.\n"])
    model.save(path)
    assert tf.BoilerplateModel.load(path) == model
    os.chmod(path, 0o640)
    save_text_atomically(path, "new")
    assert path.read_text(encoding="utf-8") == "new"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    fresh = tmp_path / "fresh.json"
    save_text_atomically(fresh, "x")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o666 & ~umask
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fresh.json", "site.json"]
