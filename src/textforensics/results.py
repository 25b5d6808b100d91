"""Result types shared by every detector.

All results are frozen, slotted, keyword-only dataclasses. ``to_dict()`` turns any of
them into plain JSON-ready data (dicts, lists, str, int, float, bool, None), which is the
stable schema the command line's ``--format json`` prints.

This module imports nothing from the rest of the package but the vocabulary.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Literal, TypeVar

from .vocab import SEVERITIES, NameMatchKind, Severity, severity_rank

__all__ = [
    "SEVERITIES",
    "Finding",
    "FixResult",
    "FixStep",
    "HomoglyphChar",
    "HomoglyphFinding",
    "JSONValue",
    "NameMatch",
    "Severity",
    "Span",
    "StripResult",
    "TextBlock",
    "severity_rank",
    "to_jsonable",
]

JSONValue = Any
"""Plain JSON data: dict, list, str, int, float, bool or None."""


def to_jsonable(value: Any) -> JSONValue:
    """Convert results (nested dataclasses, tuples, enums, mappings) to plain JSON data."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, enum.Enum):
        return to_jsonable(value.value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, frozenset, set)):
        items = [to_jsonable(v) for v in value]
        if isinstance(value, (set, frozenset)):
            items.sort(key=repr)
        return items
    raise TypeError(f"cannot convert {type(value).__name__} to JSON data")


class _Serializable:
    __slots__ = ()

    def to_dict(self) -> dict[str, JSONValue]:
        """Plain JSON-ready data for this result (the documented JSON schema)."""
        data = to_jsonable(self)
        assert isinstance(data, dict)
        return data


class _Deferred(_Serializable):
    """A result some of whose fields may be computed when first read (see
    :func:`deferred`); to every reader (attributes, ``==``, ``hash``, ``repr``,
    ``to_dict``, ``dataclasses.fields`` / ``asdict`` / ``replace``, pickling) it is the
    same as one constructed with all fields."""

    __slots__ = ("_pending",)
    _deferrable: ClassVar[tuple[str, ...]] = ()  # the fields that may come later

    def _fill_deferred(self, name: str) -> None:
        try:
            pending = object.__getattribute__(self, "_pending")
        except AttributeError:
            pending = None
        if pending is None:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        if isinstance(pending, Mapping):  # one computation per field
            if name in pending:
                object.__setattr__(self, name, pending[name]())
            return
        for field_name, value in pending().items():
            object.__setattr__(self, field_name, value)
        object.__setattr__(self, "_pending", None)


class _DeferredSlot:
    """The descriptor of a field of a :class:`_Deferred` result: the field's slot, filled
    from the pending computation when read before it is set."""

    __slots__ = ("name", "slot")

    def __init__(self, slot: Any, name: str) -> None:
        self.slot = slot
        self.name = name

    def __get__(self, obj: Any, owner: Any = None) -> Any:
        if obj is None:
            return self
        try:
            return self.slot.__get__(obj, owner)
        except AttributeError:
            obj._fill_deferred(self.name)
            return self.slot.__get__(obj, owner)

    def __set__(self, obj: Any, value: Any) -> None:
        self.slot.__set__(obj, value)

    def __delete__(self, obj: Any) -> None:
        self.slot.__delete__(obj)


_D = TypeVar("_D", bound=_Deferred)


def _defer_fields(cls: type[_D], names: tuple[str, ...]) -> type[_D]:
    """Let the fields ``names`` of the slotted dataclass ``cls`` be computed later."""
    for name in names:
        setattr(cls, name, _DeferredSlot(cls.__dict__[name], name))
    cls._deferrable = names
    return cls


def deferred(
    cls: type[_D],
    now: Mapping[str, Any],
    later: Callable[[], Mapping[str, Any]] | Mapping[str, Callable[[], Any]],
) -> _D:
    """An instance of the result class ``cls`` with the fields ``now``; its other fields
    (those ``cls`` lets be deferred) come from ``later()``, called once, when one of them is
    first read; or, when ``later`` maps each of those fields to a function, each field from
    its own function when it is first read. For results whose costly parts many callers
    never read."""
    missing = set(getattr(cls, "_deferrable", ())) - set(now)  # () if cls is no _Deferred
    names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    if set(now) | missing != names:
        raise TypeError(f"{cls.__name__}: fields {sorted(names)}, given {sorted(now)}")
    if isinstance(later, Mapping) and set(later) != names - set(now):
        raise TypeError(f"{cls.__name__}: deferred fields {sorted(names - set(now))}")
    obj = object.__new__(cls)
    for name, value in now.items():
        object.__setattr__(obj, name, value)
    object.__setattr__(obj, "_pending", later)
    return obj


@dataclass(frozen=True, slots=True, kw_only=True)
class Span(_Serializable):
    """A stretch of the caller's original string.

    ``start``/``end`` are character (code point) offsets, end exclusive. ``line`` and
    ``column`` are 1-based and point at ``start``; ``end_line``/``end_column`` point at the
    last character inside the span (for an empty span, at ``start``).
    """

    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding(_Serializable):
    """Common shape of every finding a detector reports.

    Detectors subclass it with their own fields; these are always present:
    ``start``/``end`` (character offsets into the input, end exclusive), ``line``/``column``
    (1-based, of ``start``), ``kind`` (a stable string), ``severity`` and ``message``
    (a human explanation).
    """

    start: int
    end: int
    line: int
    column: int
    kind: str
    severity: Severity
    message: str


# --- duplicates ---


@dataclass(frozen=True, slots=True, kw_only=True)
class TierSimilarity(_Serializable):
    """Exact set similarities of two texts' shingles in one tier.

    ``unit`` names the shingle (e.g. ``"word 5-grams"``); ``jaccard`` is
    |A∩B| / |A∪B|; ``containment_a_in_b`` is |A∩B| / |A| (how much of ``a`` is found in
    ``b``) and ``containment_b_in_a`` the converse. Empty sets give 0.
    """

    tier: str
    unit: str
    shingles_a: int
    shingles_b: int
    shared: int
    jaccard: float
    containment_a_in_b: float
    containment_b_in_a: float


@dataclass(frozen=True, slots=True, kw_only=True)
class AlignedPassage(_Serializable):
    """A passage of ``a`` paired with the passage of ``b`` it was copied or rewritten from.

    ``a``/``b`` are spans into the caller's original strings; ``similarity`` in [0, 1] is
    the passages' own word overlap (see ``docs/duplicates.md``); ``text_a``/``text_b``
    are the passages as written.
    """

    a: Span
    b: Span
    similarity: float
    text_a: str
    text_b: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Comparison(_Deferred):
    """The result of :func:`textforensics.compare`.

    ``score`` in [0, 1] (symmetric, 1 for identical texts) and ``verdict`` (one of
    ``identical``, ``near_copy``, ``rewrite``, ``excerpt``, ``unrelated``) are the stable
    contract; ``near_copy`` and ``rewrite`` hold the exact similarities of each tier and
    ``evidence`` the aligned passages, in the order of ``a`` (aligned when first read,
    see :func:`deferred`). For an ``excerpt`` whose shorter text is mostly contained in
    the other, ``contained_in`` names the containing side (``"b"``: ``a`` is inside
    ``b``; ``"a"``: ``b`` is inside ``a``), else ``None``;
    ``reason`` says why a pair is ``unrelated`` without being compared
    (``"no_words"``: a text has no word to compare), else ``None``.
    """

    score: float
    verdict: str
    near_copy: TierSimilarity
    rewrite: TierSimilarity
    evidence: tuple[AlignedPassage, ...]
    boilerplate_stripped: bool
    contained_in: str | None = None
    reason: str | None = None


_defer_fields(Comparison, ("evidence",))


@dataclass(frozen=True, slots=True, kw_only=True)
class DuplicatePair(_Serializable):
    """Two documents found to be related, verified exactly (never a hashing accident);
    for an ``excerpt``, ``contained_in`` names the side (``"a"`` or ``"b"``) that contains
    the other, or is ``None`` when they only share a passage."""

    a: Any
    b: Any
    verdict: str
    score: float
    contained_in: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class DuplicateCluster(_Serializable):
    """A connected component of related documents: ``keys`` sorted, ``representative``
    the smallest key, ``pairs`` the verified edges that connect them."""

    representative: Any
    keys: tuple[Any, ...]
    pairs: tuple[DuplicatePair, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class DuplicateReport(_Serializable):
    """The result of :func:`textforensics.find_duplicates`: clusters (sorted by their
    representative), the keys related to no other document, and counts. ``excerpts``
    lists the ``excerpt`` pairs (a text mostly contained in another, or a shared copied
    passage) apart: they never join clusters, so a pipeline can drop or keep them;
    a key of such a pair may also be in ``unique``."""

    clusters: tuple[DuplicateCluster, ...]
    unique: tuple[Any, ...]
    documents: int
    candidate_pairs: int
    method: str
    excerpts: tuple[DuplicatePair, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class IndexMatch(_Serializable):
    """One match returned by :meth:`textforensics.DuplicateIndex.query`; for an
    ``excerpt``, ``contained_in`` names the side that contains the other: ``"b"`` when
    the queried text (``a``) is mostly contained in the indexed document ``key`` (``b``),
    ``"a"`` when that document is contained in the query."""

    key: Any
    score: float
    verdict: str
    contained_in: str | None = None


# --- homoglyphs ---


@dataclass(frozen=True, slots=True, kw_only=True)
class HomoglyphChar(_Serializable):
    """One character a homoglyph finding points at.

    ``offset`` is its character offset in the input; ``code_point`` reads ``"U+0435"``;
    ``script`` is its Unicode Script (ISO 15924 code, e.g. ``"Cyrl"``); ``prototype`` is
    its UTS #39 skeleton (what it is confusable with); ``looks_like`` is the character
    (or string) of the word's own script with the same skeleton, used as the replacement,
    or ``None`` (for hidden characters, the replacement is the empty string).
    """

    offset: int
    char: str
    code_point: str
    name: str
    script: str
    prototype: str
    looks_like: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class HomoglyphFinding(Finding):
    """A homoglyph, mixed-script or hidden-character finding (UTS #39).

    ``kind`` is one of ``confusable``, ``mixed_script``, ``whole_script``, ``invisible``,
    ``bidi``, ``mixed_numbers``; ``code`` the stable rule id (``TF101``..``TF106``);
    ``word`` the offending word (``text[start:end]``); ``chars`` the characters at fault;
    ``suggestion`` the clean word, when there is one.
    """

    code: str
    word: str
    chars: tuple[HomoglyphChar, ...]
    suggestion: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class FixStep(_Serializable):
    """One replacement of a fix plan: ``text[start:end]`` (== ``old``) becomes ``new``.
    Offsets refer to the original text."""

    start: int
    end: int
    old: str
    new: str
    kind: str
    code: str


@dataclass(frozen=True, slots=True, kw_only=True)
class FixResult(_Deferred):
    """The fixed text, the replayable plan (``apply_plan(original, plan) == text``) and
    the findings the plan fixes (:func:`~textforensics.fix_homoglyphs` builds the plan's
    steps when ``plan`` is first read and finds the findings when ``findings`` is, see
    :func:`deferred`; the result is the same either way)."""

    text: str
    plan: tuple[FixStep, ...]
    findings: tuple[HomoglyphFinding, ...]


_defer_fields(FixResult, ("plan", "findings"))


# --- boilerplate ---


@dataclass(frozen=True, slots=True, kw_only=True)
class TextBlock(Finding):
    """One block of a stripped text: a non-blank line with the blank lines after it.

    The blocks of a :class:`StripResult` partition the input: ``text[b.start:b.end]`` of all
    blocks, concatenated in order, rebuild it exactly. ``label`` is ``"content"`` (kept) or
    ``"boilerplate"`` (removed). ``kind`` is ``"content"`` for kept blocks and one of the
    boilerplate kinds (``comments``, ``disclaimer``, ``call_to_action``, ``credit``,
    ``related_links``, ``navigation``, ``legal``, ``repeated``) for removed ones.
    ``message`` is the human reason; ``score`` the model's content probability (0..1).
    """

    label: Literal["content", "boilerplate"]
    score: float

    @property
    def reason(self) -> str:
        """The human reason for the label (same as ``message``)."""
        return self.message

    @property
    def removed(self) -> bool:
        return self.label == "boilerplate"


@dataclass(frozen=True, slots=True, kw_only=True)
class StripResult(_Deferred):
    """What :func:`textforensics.strip_boilerplate` returns.

    ``text`` is the main text: the kept blocks, in order, characters unchanged.
    ``removed`` are the removed blocks (``.start``, ``.end`` into the input, ``.kind``).
    ``blocks`` are all blocks, kept and removed, covering the input exactly.
    ``language`` is the detected language code of the phrase data used (or ``None``).

    :func:`~textforensics.strip_boilerplate` makes ``removed`` and ``blocks`` when one of
    them is first read, so that a caller who wants only ``text`` does not pay for a
    :class:`TextBlock` per line; the result is the same either way.
    """

    text: str
    removed: tuple[TextBlock, ...]
    blocks: tuple[TextBlock, ...]
    language: str | None


_defer_fields(StripResult, ("removed", "blocks"))


@dataclass(frozen=True, slots=True, kw_only=True)
class NameMatch(_Serializable):
    """A checked ``name`` that collides with the protected name ``protected`` (number
    ``protected_id`` in the guard's list) by the technique ``kind``.

    ``spans`` are the ``(start, end)`` offsets into ``name`` of the characters involved
    (empty for ``exact``); ``start``/``end`` cover them all (the whole name for
    ``exact``). ``message`` says it in words.
    """

    name: str
    protected: str
    protected_id: int
    kind: NameMatchKind
    start: int
    end: int
    spans: tuple[tuple[int, int], ...]
    message: str
