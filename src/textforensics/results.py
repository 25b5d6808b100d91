"""Result types shared by every detector.

Every result is frozen, slotted and keyword-only, and behaves as a dataclass:
``dataclasses.fields``, ``asdict``, ``replace`` and ``is_dataclass`` work on it, as do
``==``, ``hash``, ``repr``, pickling and ``copy``. ``to_dict()`` turns any of them into
plain JSON-ready data (dicts, lists, str, int, float, bool, None), which is the stable
schema the command line's ``--format json`` prints.

This module holds what every detector shares (the base classes, :class:`Span`,
:class:`Finding`) and the homoglyph findings every scan makes; the results of the other
detectors live in ``results_duplicates``, ``results_boilerplate`` and
``results_homoglyphs`` (fix plans, name matches), one module per detector, and are
exported here too: importing one of them on first use (PEP 562) spares a one-shot
``textforensics scan FILE`` creating a dozen dataclasses it never uses (each
``@dataclass`` generates and compiles its methods at import).

The four classes defined here are on the path of every scan with a finding, so they are
not made by ``@dataclass`` at all: they are :class:`Record` classes, whose methods are
written out once in :class:`Record` and compiled into the bytecode cache like any other
code, and which import neither ``dataclasses`` nor ``inspect`` (together a sixth of a
one-shot scan's start-up). Their dataclass metadata (``__dataclass_fields__``) comes from
a *twin*, the class ``@dataclass`` makes from the same annotations, built when first
asked for; the tests check every method against the twin's.

This module imports nothing from the rest of the package but the vocabulary.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from operator import attrgetter
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from .lazy import lazy_getattr
from .vocab import SEVERITIES, Severity, severity_rank

if TYPE_CHECKING:
    import dataclasses

    from typing_extensions import dataclass_transform

    from .results_boilerplate import StripResult as StripResult
    from .results_boilerplate import TextBlock as TextBlock
    from .results_duplicates import AlignedPassage as AlignedPassage
    from .results_duplicates import Comparison as Comparison
    from .results_duplicates import DuplicateCluster as DuplicateCluster
    from .results_duplicates import DuplicatePair as DuplicatePair
    from .results_duplicates import DuplicateReport as DuplicateReport
    from .results_duplicates import IndexMatch as IndexMatch
    from .results_duplicates import TierSimilarity as TierSimilarity
    from .results_homoglyphs import FixResult as FixResult
    from .results_homoglyphs import FixStep as FixStep
    from .results_homoglyphs import NameMatch as NameMatch

__all__ = [
    "SEVERITIES",
    "Finding",
    "FixResult",
    "FixStep",
    "HomoglyphChar",
    "HomoglyphFinding",
    "JSONValue",
    "NameMatch",
    "Record",
    "Severity",
    "Span",
    "StripResult",
    "TextBlock",
    "severity_rank",
    "to_jsonable",
]

JSONValue = Any
"""Plain JSON data: dict, list, str, int, float, bool or None."""

# Where the result classes of each detector live (see the module's docstring).
_ELSEWHERE = {
    **dict.fromkeys(("StripResult", "TextBlock"), ".results_boilerplate"),
    **dict.fromkeys(
        (
            "AlignedPassage",
            "Comparison",
            "DuplicateCluster",
            "DuplicatePair",
            "DuplicateReport",
            "IndexMatch",
            "TierSimilarity",
        ),
        ".results_duplicates",
    ),
    **dict.fromkeys(("FixResult", "FixStep", "NameMatch"), ".results_homoglyphs"),
}


__getattr__ = lazy_getattr(globals(), _ELSEWHERE)


def __dir__() -> list[str]:
    return sorted({*globals(), *_ELSEWHERE})


def to_jsonable(value: Any) -> JSONValue:
    """Convert results (nested dataclasses, tuples, enums, mappings) to plain JSON data."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if type(value) in _RECORDS:
        return {name: to_jsonable(getattr(value, name)) for name in value.record_fields}
    if isinstance(value, enum.Enum):
        return to_jsonable(value.value)
    if _is_dataclass_instance(value):
        import dataclasses  # loaded already by every dataclass's module

        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, frozenset, set)):
        items = [to_jsonable(v) for v in value]
        if isinstance(value, (set, frozenset)):
            items.sort(key=repr)
        return items
    raise TypeError(f"cannot convert {type(value).__name__} to JSON data")


def _is_dataclass_instance(value: object) -> bool:
    # What dataclasses.is_dataclass tells of an instance, without importing dataclasses.
    return not isinstance(value, type) and hasattr(type(value), "__dataclass_fields__")


def field_names(cls: type) -> tuple[str, ...]:
    """The field names of the result class ``cls`` (a :class:`Record` or a dataclass),
    in order."""
    if cls in _RECORDS:
        return cls.record_fields  # type: ignore[attr-defined, no-any-return]
    import dataclasses  # loaded already by every dataclass's module

    return tuple(f.name for f in dataclasses.fields(cls))


class Serializable:
    """The base of every result: :meth:`to_dict`."""

    __slots__ = ()

    def to_dict(self) -> dict[str, JSONValue]:
        """Plain JSON-ready data for this result (the documented JSON schema)."""
        data = to_jsonable(self)
        assert isinstance(data, dict)
        return data


class Deferred(Serializable):
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
            # Never deferred, or filled by another thread (every field is set before
            # ``_pending`` is cleared): the caller reads the slot again.
            return
        if isinstance(pending, Mapping):  # one computation per field
            if name in pending:
                object.__setattr__(self, name, pending[name]())
            return
        for field_name, value in pending().items():
            object.__setattr__(self, field_name, value)
        object.__setattr__(self, "_pending", None)


class _DeferredSlot:
    """The descriptor of a field of a :class:`Deferred` result: the field's slot, filled
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


_D = TypeVar("_D", bound=Deferred)
_PENDING = Deferred.__dict__["_pending"]


def defer_fields(cls: type[_D], names: tuple[str, ...]) -> type[_D]:
    """Let the fields ``names`` of the slotted dataclass ``cls`` be computed later (a
    field declared by a base class is deferred in ``cls`` only)."""
    for name in names:
        slot = getattr(cls, name)  # the slot's member descriptor, wherever it is declared
        setattr(cls, name, _DeferredSlot(slot, name))
    cls._deferrable = names
    return cls


def raw_slot(cls: type, name: str) -> Any:
    """The member descriptor of the slot ``name`` of ``cls``, under the descriptor
    :func:`defer_fields` may have put in front of it (for code that fills a result slot
    by slot)."""
    found = getattr(cls, name)
    return found.slot if isinstance(found, _DeferredSlot) else found


def set_pending(obj: Deferred, later: Callable[[], Mapping[str, Any]]) -> None:
    """Give ``obj``, built slot by slot with its deferred fields left unset, the
    computation :func:`deferred` would: ``later()`` gives those fields when one of them is
    first read. Every reader, from any thread, gets equal values: the fields are set
    before the computation is dropped, and a thread that finds it dropped reads them."""
    _PENDING.__set__(obj, later)


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
    missing = set(getattr(cls, "_deferrable", ())) - set(now)  # () if cls is no Deferred
    names = set(field_names(cls))
    if set(now) | missing != names:
        raise TypeError(f"{cls.__name__}: fields {sorted(names)}, given {sorted(now)}")
    if isinstance(later, Mapping) and set(later) != names - set(now):
        raise TypeError(f"{cls.__name__}: deferred fields {sorted(names - set(now))}")
    obj = object.__new__(cls)
    for name, value in now.items():
        object.__setattr__(obj, name, value)
    object.__setattr__(obj, "_pending", later)
    return obj


class Record(Serializable):
    """The base of the result classes written out by hand (see the module's docstring):
    frozen, slotted, keyword-only, and to every reader the dataclass its :func:`twin` is.

    A subclass declares its fields as annotations, lists them in ``__slots__`` (its own
    fields only, as ``@dataclass(slots=True)`` would), writes the keyword-only
    ``__init__`` the dataclass would generate, and is decorated with :func:`record`.
    ``==``, ``hash``, ``repr``, assignment (refused), pickling and the dataclass metadata
    come from here. A dataclass may derive from a record class (``TextBlock`` from
    :class:`Finding`): ``@dataclass`` reads the record's fields from its twin and writes
    every method of its own.
    """

    __slots__ = ()
    __match_args__: ClassVar[tuple[str, ...]] = ()  # keyword-only fields match no position
    record_fields: ClassVar[tuple[str, ...]] = ()  # every field, the bases' first
    _values: ClassVar[Callable[[Any], tuple[Any, ...]]]

    if TYPE_CHECKING:
        __dataclass_fields__: ClassVar[dict[str, dataclasses.Field[Any]]]
        __dataclass_params__: ClassVar[Any]

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return bool(type(self)._values(self) == type(self)._values(other))
        return NotImplemented

    def __hash__(self) -> int:
        return hash(type(self)._values(self))

    def __repr__(self) -> str:
        inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.record_fields)
        return f"{self.__class__.__qualname__}({inner})"

    def __setattr__(self, name: str, value: Any) -> None:
        raise _frozen(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise _frozen(f"cannot delete field {name!r}")

    def __getstate__(self) -> list[Any]:
        return list(type(self)._values(self))

    def __setstate__(self, state: list[Any]) -> None:
        self._fill(*state)

    def _fill(self, *values: Any) -> None:
        # Every field's slot from ``values``, in field order (what each ``__init__`` and
        # unpickling do).
        for name, value in zip(self.record_fields, values, strict=True):
            object.__setattr__(self, name, value)


def _frozen(message: str) -> AttributeError:
    from dataclasses import FrozenInstanceError  # only when a result is written to

    return FrozenInstanceError(message)


class _FromTwin:
    """A dataclass attribute of a :class:`Record` class (``__dataclass_fields__`` or
    ``__dataclass_params__``): its twin's, read when first asked for."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        return getattr(twin(owner if owner is not None else type(obj)), self.name)


Record.__dataclass_fields__ = _FromTwin("__dataclass_fields__")  # type: ignore[assignment]
Record.__dataclass_params__ = _FromTwin("__dataclass_params__")
_RECORDS: set[type] = set()  # the classes :func:`record` has made (not their dataclasses)
_TWINS: dict[type, type] = {}
_R = TypeVar("_R", bound=Record)


if not TYPE_CHECKING:  # the type checker reads record() as the dataclass it makes

    def dataclass_transform(**_: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        return lambda decorator: decorator


@dataclass_transform(frozen_default=True, kw_only_default=True)
def record(cls: type[_R]) -> type[_R]:
    """Finish the :class:`Record` class ``cls``: its fields are the annotations of the
    classes it derives from through :func:`record`, then its own; a ``__slots__`` that
    does not list its own fields fails here, at import."""
    # Annotations read from the class itself: inspect.get_annotations would import inspect.
    own = tuple(cls.__dict__.get("__annotations__", {}))  # noqa: RUF063
    if sorted(cls.__dict__.get("__slots__", ())) != sorted(own):
        raise TypeError(f"{cls.__name__}.__slots__ must list its own fields {own}")
    inherited: tuple[str, ...] = next(
        (base.__dict__["record_fields"] for base in cls.__mro__[1:] if base in _RECORDS), ()
    )
    type.__setattr__(cls, "record_fields", inherited + own)
    type.__setattr__(cls, "_values", attrgetter(*cls.record_fields))
    _RECORDS.add(cls)
    return cls


def twin(cls: type) -> type:
    """The frozen, slotted, keyword-only dataclass ``@dataclass`` makes from the fields of
    the :class:`Record` class ``cls`` (same names, types, order, name and qualified
    name): the reference the hand-written methods are tested against, and where their
    dataclass metadata comes from."""
    found = _TWINS.get(cls)
    if found is None:
        import dataclasses  # only for code that asks for dataclass metadata

        types: dict[str, Any] = {}
        for klass in reversed(cls.__mro__):
            if klass in _RECORDS:
                types.update(klass.__dict__.get("__annotations__", {}))  # noqa: RUF063
        made = dataclasses.make_dataclass(
            cls.__name__, list(types.items()), frozen=True, slots=True, kw_only=True
        )
        made.__qualname__ = cls.__qualname__
        made.__module__ = cls.__module__
        found = _TWINS.setdefault(cls, made)  # every caller gets the same twin
    return found


@record
class Span(Record):
    """A stretch of the caller's original string.

    ``start``/``end`` are character (code point) offsets, end exclusive. ``line`` and
    ``column`` are 1-based and point at ``start``; ``end_line``/``end_column`` point at the
    last character inside the span (for an empty span, at ``start``).
    """

    __slots__ = ("column", "end", "end_column", "end_line", "line", "start")
    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int

    def __init__(
        self, *, start: int, end: int, line: int, column: int, end_line: int, end_column: int
    ) -> None:
        self._fill(start, end, line, column, end_line, end_column)


@record
class Finding(Record, Deferred):
    """Common shape of every finding a detector reports (a :class:`Deferred` result, so
    that a detector may build a finding's explanation when it is first read).

    Detectors subclass it with their own fields; these are always present:
    ``start``/``end`` (character offsets into the input, end exclusive), ``line``/``column``
    (1-based, of ``start``), ``kind`` (a stable string), ``severity`` and ``message``
    (a human explanation).
    """

    __slots__ = ("column", "end", "kind", "line", "message", "severity", "start")
    start: int
    end: int
    line: int
    column: int
    kind: str
    severity: Severity
    message: str

    def __init__(
        self,
        *,
        start: int,
        end: int,
        line: int,
        column: int,
        kind: str,
        severity: Severity,
        message: str,
    ) -> None:
        self._fill(start, end, line, column, kind, severity, message)


# --- homoglyphs ---


@record
class HomoglyphChar(Record):
    """One character a homoglyph finding points at.

    ``offset`` is its character offset in the input; ``code_point`` reads ``"U+0435"``;
    ``script`` is its Unicode Script (ISO 15924 code, e.g. ``"Cyrl"``); ``prototype`` is
    its UTS #39 skeleton (what it is confusable with); ``looks_like`` is the character
    (or string) of the word's own script with the same skeleton, used as the replacement,
    or ``None`` (for hidden characters, the replacement is the empty string).
    """

    __slots__ = ("char", "code_point", "looks_like", "name", "offset", "prototype", "script")
    offset: int
    char: str
    code_point: str
    name: str
    script: str
    prototype: str
    looks_like: str | None

    def __init__(
        self,
        *,
        offset: int,
        char: str,
        code_point: str,
        name: str,
        script: str,
        prototype: str,
        looks_like: str | None,
    ) -> None:
        self._fill(offset, char, code_point, name, script, prototype, looks_like)


@record
class HomoglyphFinding(Finding):
    """A homoglyph, mixed-script or hidden-character finding (UTS #39).

    ``kind`` is one of ``confusable``, ``mixed_script``, ``whole_script``, ``invisible``,
    ``bidi``, ``mixed_numbers``; ``code`` the stable rule id (``TF101``..``TF106``);
    ``word`` the offending word (``text[start:end]``); ``chars`` the characters at fault;
    ``suggestion`` the clean word, when there is one.
    """

    __slots__ = ("chars", "code", "suggestion", "word")
    code: str
    word: str
    chars: tuple[HomoglyphChar, ...]
    suggestion: str | None

    def __init__(
        self,
        *,
        start: int,
        end: int,
        line: int,
        column: int,
        kind: str,
        severity: Severity,
        message: str,
        code: str,
        word: str,
        chars: tuple[HomoglyphChar, ...],
        suggestion: str | None,
    ) -> None:
        self._fill(start, end, line, column, kind, severity, message, code, word, chars, suggestion)


# A flagged name's explanation (its message, characters and suggestion) is built when it
# is first read: most callers of a name check only ask whether there is a finding.
defer_fields(HomoglyphFinding, ("message", "chars", "suggestion"))
