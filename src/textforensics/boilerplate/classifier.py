"""The block classifier: a value loaded from ``model.json``, its feature names checked.

Three logistic stages: stage 1 weighs ``FEATURES_1`` (own and pass features), stages 2
and 3 ``FEATURES_2`` (adding the previous stage's scores around the block). The file
lists the feature names each stage was trained on; :meth:`BlockClassifier.from_dict`
refuses a model whose names or order differ from the code's (:mod:`.features`), so a
weight can never silently land on the wrong column.

``strip_boilerplate`` uses :func:`shipped_classifier` unless given another
(``classifier=``); training (``scripts/train_boilerplate.py``) builds one from the
stages it fits.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from .features import FEATURES_1, FEATURES_2, N_1, N_OWN
from .save import save_text_atomically

MODEL_FORMAT = "textforensics.boilerplate-classifier/1"
STAGE_NAMES = ("stage1", "stage2", "stage3")
"""The stages a model may hold, in order (stage 1 required)."""


class ModelMismatchError(ValueError):
    """A classifier model that does not fit the code: another format, or feature names or
    weights that differ from the code's feature definitions."""


def sigmoid(p: np.ndarray) -> np.ndarray:
    """``1 / (1 + exp(-clip(p, -50, 50)))``, in place."""
    np.maximum(p, -50.0, out=p)
    np.minimum(p, 50.0, out=p)
    np.negative(p, out=p)
    np.exp(p, out=p)
    p += 1.0
    np.divide(1.0, p, out=p)
    return p


def _frozen(values: Sequence[float] | np.ndarray) -> np.ndarray:
    a = np.array(values, dtype=np.float64)
    a.flags.writeable = False
    return a


@dataclass(frozen=True, eq=False)
class Stage:
    """One logistic stage as trained: rows are standardized (``(x - mean) / scale``),
    then weighed (``weights``, the first being the bias: its mean is 0, its scale 1)."""

    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    # The weights folded with the standardization: ``x @ folded + offset`` equals
    # ``((x - mean) / scale) @ weights`` up to rounding, without two temporaries.
    folded: np.ndarray = field(init=False, repr=False)
    offset: float = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if not len(self.mean) == len(self.scale) == len(self.weights):
            raise ModelMismatchError(
                f"a stage needs as many means, scales and weights; got {len(self.mean)},"
                f" {len(self.scale)} and {len(self.weights)}"
            )
        w = np.asarray(self.weights, dtype=np.float64) / np.asarray(self.scale, dtype=np.float64)
        object.__setattr__(self, "folded", _frozen(w))
        object.__setattr__(self, "offset", -float(np.asarray(self.mean, dtype=np.float64) @ w))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Stage:
        return cls(
            mean=tuple(float(v) for v in data["mean"]),
            scale=tuple(float(v) for v in data["scale"]),
            weights=tuple(float(v) for v in data["weights"]),
        )

    def to_dict(self) -> dict[str, list[float]]:
        return {"mean": list(self.mean), "scale": list(self.scale), "weights": list(self.weights)}

    def scores(self, rows: np.ndarray | Sequence[Sequence[float]]) -> np.ndarray:
        """Content probabilities of feature rows (one row per block)."""
        x = np.asarray(rows, dtype=np.float64)
        if x.shape[0] == 0:
            return np.zeros(0, dtype=np.float64)
        p: np.ndarray = x @ self.folded
        p += self.offset
        return sigmoid(p)


@dataclass(frozen=True, eq=False)
class BlockClassifier:
    """The three-stage block classifier (stages 2 and 3 optional), its content-score
    threshold and free-form ``metadata`` (how it was trained; kept in order).

    For scoring without feature rows, the stages' folded weights are split by the
    columns they weigh: ``own`` (a column per stage) weighs the own features, ``pass_``
    (a column per stage) the pass features, ``context`` (a vector per stage after the
    first) the context features; ``bias`` holds the stages' offsets."""

    stages: tuple[Stage, ...]
    threshold: float
    metadata: Mapping[str, Any] = field(default_factory=dict)
    source: str = "<in memory>"  # where it was loaded from, for error messages
    own: np.ndarray = field(init=False, repr=False)
    pass_: np.ndarray = field(init=False, repr=False)
    context: tuple[np.ndarray, ...] = field(init=False, repr=False)
    bias: tuple[float, ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if not 1 <= len(self.stages) <= len(STAGE_NAMES):
            raise ModelMismatchError(f"{self.source}: {len(self.stages)} stages, expected 1 to 3")
        for name, stage, features in zip(STAGE_NAMES, self.stages, self._features(), strict=False):
            if len(stage.weights) != len(features):
                raise ModelMismatchError(
                    f"{self.source}: {name} has {len(stage.weights)} weights, the code"
                    f" defines {len(features)} features"
                )
        ws = [s.folded for s in self.stages]
        object.__setattr__(self, "own", _frozen(np.stack([w[:N_OWN] for w in ws], axis=1)))
        object.__setattr__(self, "pass_", _frozen(np.stack([w[N_OWN:N_1] for w in ws], axis=1)))
        object.__setattr__(self, "context", tuple(_frozen(w[N_1:]) for w in ws[1:]))
        object.__setattr__(self, "bias", tuple(s.offset for s in self.stages))

    @staticmethod
    def _features() -> tuple[tuple[str, ...], ...]:
        """The feature names of each stage, as the code defines them."""
        return (FEATURES_1, FEATURES_2, FEATURES_2)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, source: str = "<dict>") -> BlockClassifier:
        """The classifier ``data`` describes (the JSON of ``model.json``). Raises
        :class:`ModelMismatchError`, naming ``source`` and the first difference, when its
        format is another or its feature names differ from the code's."""
        if data.get("format") != MODEL_FORMAT:
            raise ModelMismatchError(
                f"{source}: format {data.get('format')!r}, expected {MODEL_FORMAT!r}"
            )
        names = [k for k in STAGE_NAMES if k in data]
        if names != list(STAGE_NAMES[: len(names)]) or not names:
            raise ModelMismatchError(f"{source}: stages {names}, expected {list(STAGE_NAMES)}")
        _check_names(source, "features_stage1", data.get("features_stage1"), FEATURES_1)
        if len(names) > 1:
            _check_names(source, "features_stage2", data.get("features_stage2"), FEATURES_2)
        for name, features in zip(names, cls._features(), strict=False):
            for key in ("mean", "scale", "weights"):
                got = len(data[name].get(key, ()))
                if got != len(features):
                    raise ModelMismatchError(
                        f"{source}: {name}: {got} {key}, the code defines {len(features)} features"
                    )
        structural = {"format", "features_stage1", "features_stage2", "threshold", *names}
        return cls(
            stages=tuple(Stage.from_dict(data[k]) for k in names),
            threshold=float(data["threshold"]),
            metadata={k: v for k, v in data.items() if k not in structural},
            source=source,
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON form :meth:`from_dict` reads (as ``model.json`` holds it)."""
        out: dict[str, Any] = {
            "format": MODEL_FORMAT,
            "features_stage1": list(FEATURES_1),
            "features_stage2": list(FEATURES_2),
        }
        for name, stage in zip(STAGE_NAMES, self.stages, strict=False):
            out[name] = stage.to_dict()
        out["threshold"] = self.threshold
        out.update(self.metadata)
        return out

    @classmethod
    def load(cls, path: str | Path) -> BlockClassifier:
        """Read a model file (see :meth:`from_dict`)."""
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return cls.from_dict(data, source=str(path))

    def save(self, path: str | Path) -> None:
        """Write the model as ``model.json`` is written (indented JSON), atomically."""
        save_text_atomically(path, json.dumps(self.to_dict(), indent=1) + "\n")


def _check_names(source: str, key: str, got: Any, want: Sequence[str]) -> None:
    """Raise :class:`ModelMismatchError` at the first name where ``got`` and ``want``
    differ."""
    if not isinstance(got, list):
        raise ModelMismatchError(f"{source}: {key} missing (the feature names)")
    for i, (g, w) in enumerate(zip(got, want, strict=False)):
        if g != w:
            raise ModelMismatchError(
                f"{source}: {key}[{i}] is {g!r}, but the code's feature {i} is {w!r}"
            )
    if len(got) != len(want):
        longer, which = (got, "the model's") if len(got) > len(want) else (want, "the code's")
        raise ModelMismatchError(
            f"{source}: {key} lists {len(got)} features, the code {len(want)};"
            f" first unmatched: {which} {longer[min(len(got), len(want))]!r}"
        )


@cache
def shipped_classifier() -> BlockClassifier:
    """The classifier shipped in ``data/boilerplate/model.json`` (loaded once)."""
    path = resources.files("textforensics.data").joinpath("boilerplate/model.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    return BlockClassifier.from_dict(data, source=str(path))
