"""NameGuard: does a new name impersonate one of the protected names?

Each name gets one or two *keys*: folds under which two visually confusable names become
equal. A key is the UTS #39 skeleton taken further: default-ignorable (invisible, bidi)
characters dropped, combining marks on a Latin (ASCII) letter dropped, case folded, the
skeleton applied again after folding, the ASCII look-alikes the skeleton leaves apart
joined (``w`` -> ``vv``, ``d`` -> ``cl``; the skeleton already makes ``m`` ``rn``, ``1``/``I``
``l`` and ``0`` ``O``), leetspeak symbols mapped (``4`` ``a``, ``3`` ``e``, ``5``/``$`` ``s``,
``7`` ``t``, ``@`` ``a``) and punctuation, spaces and controls removed.

- key 1 applies that fold to the name as written (so ``paypaI`` meets ``paypal``: ``I``
  looks like ``l``);
- key 2 first takes NFKC and case-folds, and reads ``1``/``!`` as ``i`` (so ``MICROSOFT``
  and ``m1crosoft`` meet ``microsoft``, and a character whose NFKC form differs from its
  skeleton, such as U+017F LONG S, is matched on its NFKC side too).

Two names collide when they share a key. Matching is by equality of keys only, never
edit distance: "sarah" is not "sara". A hit is then explained character by character
(which characters of the checked name differ and by which technique), so that the rare
work happens only on a hit and a safe name costs two ``str.translate`` and two dict
lookups.

Memory: the protected names as one UTF-8 blob with offsets, and one dict from key to
name number(s). The guard never changes after construction, so any number of threads may
call :meth:`NameGuard.check` at once; the fold table is built once under a lock.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import threading
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import regex

from ..results import NameMatch
from ..storage import AtomicWriter
from ..tables import UNICODE_VERSION, prototype_translation
from ..vocab import NAME_MATCH_KINDS, NameMatchKind

__all__ = ["FORMAT", "FORMAT_VERSION", "NameGuard", "NameGuardFileError", "name_keys"]

FORMAT = "textforensics-nameguard"
"""The ``format`` field of a saved guard's header."""

FORMAT_VERSION = 1
"""The file format version written by :meth:`NameGuard.save`."""

# Bumped whenever the fold changes: a saved guard with other keys is re-keyed on load.
_KEY_VERSION = 1

_BIDI_CONTROLS = frozenset(
    chr(c) for c in (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))
)
_LEET = {"4": "a", "3": "e", "5": "s", "7": "t", "$": "s", "@": "a"}
_ASCII_LOOKALIKE = {"w": "vv", "d": "cl"}  # the skeleton maps m -> rn, 1/I/| -> l, 0 -> O
_AS_I = {ord("1"): "i", ord("!"): "i"}  # key 2 reads these as 'i'
_IGNORABLE_RE = regex.compile(r"\p{Default_Ignorable_Code_Point}")
_MARK_AFTER_ASCII_RE = regex.compile(r"(?<=[\x00-\x7f])[\p{Mn}\p{Me}]+")
_DROPPED_CATEGORIES = frozenset({"Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "Zs", "Zl", "Zp", "Cc"})

_MESSAGES: dict[NameMatchKind, str] = {
    "exact": "is the protected name",
    "case_width": "differs only in case or full/half-width forms",
    "skeleton": "uses look-alike characters of another script (same UTS #39 skeleton)",
    "ascii_lookalike": "uses ASCII look-alikes (1/l/I, 0/O, rn/m, vv/w, cl/d)",
    "leet": "uses leetspeak digits or symbols for letters",
    "separator": "adds, drops or changes separators",
    "invisible": "contains inserted invisible characters",
    "bidi": "contains inserted bidirectional control characters",
    "combining_mark": "adds combining marks (accents) to Latin letters",
    "nfkc": "uses compatibility characters whose NFKC form is the letter",
}


class NameGuardFileError(ValueError):
    """A saved guard that cannot be read: wrong format, version, shapes or checksum."""


# --- the fold -------------------------------------------------------------------------------


def _fold_once(text: str, skel: dict[int, str]) -> str:
    text = _IGNORABLE_RE.sub("", unicodedata.normalize("NFD", text))
    text = text.translate(skel).casefold().translate(skel)
    out = []
    for ch in unicodedata.normalize("NFD", text):
        if ch in _LEET:
            out.append(_LEET[ch])
        elif ch in _ASCII_LOOKALIKE:
            out.append(_ASCII_LOOKALIKE[ch])
        elif unicodedata.category(ch) not in _DROPPED_CATEGORIES:
            out.append(ch)
    return "".join(out)


def _fold_char(ch: str, skel: dict[int, str]) -> str:
    # Followed to its fixed point, so that the fold of a fold is the fold itself.
    value = ch
    for _ in range(8):
        nxt = _fold_once(value, skel)
        if nxt == value:
            break
        value = nxt
    return value


class _Tables:
    """The fold as ``str.translate`` tables: ``full`` for any character (only those that
    change are listed), ``ascii1``/``ascii2`` the key 1 / key 2 folds of ASCII, so that
    an ASCII name costs one ``translate`` per key."""

    __slots__ = ("ascii1", "ascii2", "full")

    def __init__(self) -> None:
        skel = prototype_translation()
        full: dict[int, str] = {}
        codes = set(range(0x30000)) | set(range(0xE0000, 0xE1000)) | set(skel)
        codes -= set(range(0xD800, 0xE000))
        for code in codes:
            ch = chr(code)
            if (
                code < 0x80
                or code in skel
                or unicodedata.decomposition(ch)
                or ch.casefold() != ch
                or unicodedata.category(ch)[0] in "PZCM"
            ):
                folded = _fold_char(ch, skel)
                if folded != ch:
                    full[code] = folded
        self.full = full
        self.ascii1 = {c: full.get(c, chr(c)) for c in range(0x80)}
        self.ascii2 = {
            c: self.ascii1[ord(_AS_I.get(ord(chr(c).lower()), chr(c).lower()))] for c in range(0x80)
        }


_TABLES: list[_Tables] = []
_TABLES_LOCK = threading.Lock()


def _tables() -> _Tables:
    if not _TABLES:
        with _TABLES_LOCK:
            if not _TABLES:
                _TABLES.append(_Tables())
    return _TABLES[0]


def _key1(name: str, tables: _Tables) -> str:
    if name.isascii():
        return name.translate(tables.ascii1)
    key = name.translate(tables.full)
    if not key.isascii():
        key = _MARK_AFTER_ASCII_RE.sub("", key)
    return key


def _pre2(name: str) -> str:
    return unicodedata.normalize("NFKC", name).casefold().translate(_AS_I)


def _key2(name: str, tables: _Tables) -> str:
    if name.isascii():
        return name.translate(tables.ascii2)
    return _key1(_pre2(name), tables)


def name_keys(name: str) -> tuple[str, ...]:
    """The distinct non-empty keys of ``name`` (see the module docstring): two names
    collide when they share a key."""
    tables = _tables()
    k1, k2 = _key1(name, tables), _key2(name, tables)
    return tuple(k for k in dict.fromkeys((k1, k2)) if k)


# --- explaining a hit -------------------------------------------------------------------------


def _pieces(name: str, second: bool, tables: _Tables) -> list[str]:
    """The key of ``name`` character by character (``"".join`` of it is the key)."""
    pieces: list[str] = []
    last = ""
    for ch in name:
        raw = (_pre2(ch) if second else ch).translate(tables.full)
        if not raw.isascii():
            raw = _MARK_AFTER_ASCII_RE.sub("", last + raw)[len(last) :]
        pieces.append(raw)
        if raw:
            last = raw[-1]
    return pieces


def _classify(ch: str, counterpart: str, second: bool, tables: _Tables) -> NameMatchKind:
    if ch in _BIDI_CONTROLS:
        return "bidi"
    if _IGNORABLE_RE.match(ch):
        return "invisible"
    category = unicodedata.category(ch)
    if category in ("Mn", "Me"):
        return "combining_mark"
    if category in _DROPPED_CATEGORIES:
        return "separator"
    if ch.isascii():
        if ch in _LEET:
            return "leet"
        if counterpart and ch.casefold() == counterpart.casefold():
            return "case_width"
        bare = "".join(c for c in unicodedata.normalize("NFD", counterpart) if c.isascii())
        if bare and ch.casefold() == bare.casefold():
            return "combining_mark"  # the protected name's accent is missing
        return "ascii_lookalike"
    if unicodedata.decomposition(ch).startswith(("<wide>", "<narrow>")):
        return "case_width"
    nfd = unicodedata.normalize("NFD", ch)
    if len(nfd) > 1 and nfd[0].isascii():
        return "combining_mark"
    if second and ch.translate(tables.full) != _pre2(ch).translate(tables.full):
        return "nfkc"
    if counterpart and ch.casefold() == counterpart.casefold():
        return "case_width"
    return "skeleton"


def _spans(offsets: list[int]) -> tuple[tuple[int, int], ...]:
    spans: list[tuple[int, int]] = []
    for i in sorted(offsets):
        if spans and spans[-1][1] == i:
            spans[-1] = (spans[-1][0], i + 1)
        else:
            spans.append((i, i + 1))
    return tuple(spans)


def _show(text: str) -> str:
    if text.isascii() and text.isprintable():
        return text
    return "".join(
        ch if ch.isprintable() and not _IGNORABLE_RE.match(ch) else f"\\u{ord(ch):04x}"
        for ch in text
    )


def _explain(name: str, protected: str, pid: int, tables: _Tables) -> tuple[NameMatch, ...]:
    def match(kind: NameMatchKind, spans: tuple[tuple[int, int], ...]) -> NameMatch:
        start, end = (spans[0][0], spans[-1][1]) if spans else (0, len(name))
        return NameMatch(
            name=name,
            protected=protected,
            protected_id=pid,
            kind=kind,
            start=start,
            end=end,
            spans=spans,
            message=f"'{_show(name)}' is the protected name itself"
            if kind == "exact"
            else f"'{_show(name)}' imitates protected name '{_show(protected)}': it "
            + _MESSAGES[kind],
        )

    if name == protected:
        return (match("exact", ()),)
    # The first way of folding under which the two are equal explains the match.
    for c_second, p_second in ((False, False), (True, True), (True, False), (False, True)):
        cp = _pieces(name, c_second, tables)
        pp = _pieces(protected, p_second, tables)
        if "".join(cp) == "".join(pp):
            break
    else:  # equal keys whose piecewise folds differ (a composition across characters)
        return (match("skeleton", ((0, len(name)),)),)

    # Walk both folds together: a group is the shortest run of characters on each side
    # whose folds have the same length (one to one, or 'rn' against 'm'); characters
    # folding to nothing are paired with an identical one on the other side, if any.
    involved: dict[NameMatchKind, list[int]] = {}
    left: list[str] = []  # characters only the protected name has
    n, m = len(cp), len(pp)
    i = j = 0
    while i < n or j < m:
        if i < n and not cp[i]:
            if j < m and not pp[j] and protected[j] == name[i]:
                j += 1
            else:
                involved.setdefault(_classify(name[i], "", c_second, tables), []).append(i)
            i += 1
            continue
        if j < m and not pp[j]:
            left.append(protected[j])
            j += 1
            continue
        if i >= n or j >= m:  # cannot happen: the folds are equal
            break
        a, b, i2, j2 = len(cp[i]), len(pp[j]), i + 1, j + 1
        while a != b and (i2 < n or j2 < m):
            if a < b:
                a += len(cp[i2])
                i2 += 1
            else:
                b += len(pp[j2])
                j2 += 1
        counterpart = protected[j:j2]
        if name[i:i2] != counterpart:
            for k in range(i, i2):
                involved.setdefault(_classify(name[k], counterpart, c_second, tables), []).append(k)
        i, j = i2, j2
    if not involved:
        # Only the protected name has extra characters (e.g. 'pay-pal' checked as 'paypal').
        kinds = {_classify(ch, "", p_second, tables) for ch in left} or {"skeleton"}
        return tuple(match(k, ()) for k in NAME_MATCH_KINDS if k in kinds)
    return tuple(match(k, _spans(involved[k])) for k in NAME_MATCH_KINDS if k in involved)


# --- the guard --------------------------------------------------------------------------------


class NameGuard:
    """An index of protected names that answers "does this name impersonate one of
    them?" (see the module docstring for how names are compared).

    ``NameGuard(protected_names)`` builds it; :meth:`check` returns one
    :class:`~textforensics.results.NameMatch` per colliding protected name and technique
    (empty when the name is safe). A protected name checked as itself gives one match of
    kind ``exact``, so a sign-up form can tell "taken" from "impersonates". Protected
    names are numbered in the order given (``protected_id``); a name whose keys are empty
    (only punctuation, spaces or invisible characters) is kept but never matched.
    Immutable after construction, hence safe to share between threads.
    """

    __slots__ = ("_blob", "_index", "_offsets")

    def __init__(self, protected_names: Iterable[str] = ()) -> None:
        tables = _tables()
        parts: list[bytes] = []
        index: dict[str, int | tuple[int, ...]] = {}
        for pid, name in enumerate(protected_names):
            if not isinstance(name, str):
                raise TypeError(f"protected name {pid} is {type(name).__name__}, not str")
            parts.append(name.encode("utf-8", "surrogatepass"))
            k1, k2 = _key1(name, tables), _key2(name, tables)
            for key in (k1, k2) if k2 != k1 else (k1,):
                if key:
                    _add(index, key, pid)
        self._init(parts, index)

    def _init(self, parts: list[bytes], index: dict[str, int | tuple[int, ...]]) -> None:
        offsets = np.zeros(len(parts) + 1, dtype=np.int64)
        np.cumsum([len(p) for p in parts], out=offsets[1:])
        offsets.flags.writeable = False
        self._blob = b"".join(parts)
        self._offsets = offsets
        self._index = index

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def __iter__(self) -> Iterator[str]:
        return (self.protected(i) for i in range(len(self)))

    def protected(self, pid: int) -> str:
        """The protected name number ``pid``."""
        start, end = int(self._offsets[pid]), int(self._offsets[pid + 1])
        return self._blob[start:end].decode("utf-8", "surrogatepass")

    def check(self, name: str) -> tuple[NameMatch, ...]:
        """The ways ``name`` collides with protected names, ordered by protected name and
        kind; empty when it is safe."""
        tables = _TABLES[0] if _TABLES else _tables()
        index = self._index
        if name.isascii():
            k1 = name.translate(tables.ascii1)
            k2 = name.translate(tables.ascii2)
        else:
            k1, k2 = _key1(name, tables), _key2(name, tables)
        hit1 = index.get(k1)
        hit2 = index.get(k2) if k2 != k1 else None
        if hit1 is None and hit2 is None:
            return ()
        pids: set[int] = set()
        for hit in (hit1, hit2):
            if isinstance(hit, int):
                pids.add(hit)
            elif hit is not None:
                pids.update(hit)
        return tuple(
            m for pid in sorted(pids) for m in _explain(name, self.protected(pid), pid, tables)
        )

    def check_many(self, names: Iterable[str]) -> list[tuple[NameMatch, ...]]:
        """:meth:`check` of each name, in order."""
        check = self.check
        return [check(name) for name in names]

    # --- saving and loading ---------------------------------------------------------------

    def _arrays(self) -> dict[str, npt.NDArray[Any]]:
        keys: list[str] = []
        ids: list[int] = []
        for key, hit in self._index.items():
            for pid in (hit,) if isinstance(hit, int) else hit:
                keys.append(key)
                ids.append(pid)
        return {
            "names_blob": np.frombuffer(self._blob, dtype=np.uint8),
            "name_offsets": np.asarray(self._offsets, dtype=np.int64),
            "keys_blob": np.frombuffer("\n".join(keys).encode("utf-8", "surrogatepass"), np.uint8),
            "key_ids": np.asarray(ids, dtype=np.uint32),
        }

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the guard to ``path`` atomically (a temporary file in the same folder,
        flushed to disk, then renamed). The file is a NumPy ``.npz`` archive of plain
        arrays (no pickle) with a JSON header; see ``docs/names.md``."""
        target = Path(path)
        arrays = self._arrays()
        header = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "key_version": _KEY_VERSION,
            "unicode_version": UNICODE_VERSION,
            "names": len(self),
            "keys": int(arrays["key_ids"].size),
            "sha256": _checksum(arrays),
        }
        raw = json.dumps(header, sort_keys=True).encode()
        arrays["header"] = np.frombuffer(raw, dtype=np.uint8)
        with AtomicWriter(os.path.realpath(target)) as out:
            np.savez(out.file, allow_pickle=False, **arrays)
            out.commit()

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> NameGuard:
        """Read a guard written by :meth:`save`; :class:`NameGuardFileError` (naming the
        file) when it is not one, is of another version, or is damaged."""
        source = Path(path)
        data = source.read_bytes()
        try:
            with np.load(io.BytesIO(data), allow_pickle=False) as npz:
                arrays = {name: npz[name] for name in npz.files}
        except (ValueError, OSError, zipfile.BadZipFile, EOFError) as exc:
            raise NameGuardFileError(f"{source}: not a saved NameGuard ({exc})") from None
        return cls._from_arrays(source, arrays)

    @classmethod
    def _from_arrays(cls, source: Path, arrays: dict[str, npt.NDArray[Any]]) -> NameGuard:
        def bad(why: str) -> NameGuardFileError:
            return NameGuardFileError(f"{source}: not a valid saved NameGuard: {why}")

        expected = {"header", "names_blob", "name_offsets", "keys_blob", "key_ids"}
        if set(arrays) != expected:
            raise bad(f"arrays {sorted(arrays)}, expected {sorted(expected)}")
        try:
            header = json.loads(arrays["header"].tobytes())
        except ValueError:
            raise bad("unreadable header") from None
        if not isinstance(header, dict) or header.get("format") != FORMAT:
            raise bad("wrong format")
        if header.get("version") != FORMAT_VERSION:
            raise NameGuardFileError(
                f"{source}: NameGuard file version {header.get('version')!r}, "
                f"this textforensics reads version {FORMAT_VERSION}"
            )
        body = {k: v for k, v in arrays.items() if k != "header"}
        dtypes = {
            "names_blob": np.uint8,
            "name_offsets": np.int64,
            "keys_blob": np.uint8,
            "key_ids": np.uint32,
        }
        for name, dtype in dtypes.items():
            if body[name].dtype != dtype or body[name].ndim != 1:
                raise bad(f"{name} has dtype {body[name].dtype} and {body[name].ndim} dims")
        n, m = header.get("names"), header.get("keys")
        offsets, blob, ids = body["name_offsets"], body["names_blob"], body["key_ids"]
        if not isinstance(n, int) or offsets.size != n + 1:
            raise bad("name count does not match the offsets")
        if ids.size != m:
            raise bad("key count does not match")
        if _checksum(body) != header.get("sha256"):
            raise bad("checksum mismatch (damaged file)")
        if offsets[0] != 0 or offsets[-1] != blob.size or np.any(np.diff(offsets) < 0):
            raise bad("name offsets out of range")
        if ids.size and int(ids.max()) >= offsets.size - 1:
            raise bad("key ids out of range")
        raw = blob.tobytes()
        parts = [raw[a:b] for a, b in zip(offsets[:-1].tolist(), offsets[1:].tolist(), strict=True)]
        if (
            header.get("key_version") != _KEY_VERSION
            or header.get("unicode_version") != UNICODE_VERSION
        ):
            # Keys made by another fold: recompute them from the names.
            return cls(p.decode("utf-8", "surrogatepass") for p in parts)
        keys = body["keys_blob"].tobytes().decode("utf-8", "surrogatepass").split("\n") if m else []
        if len(keys) != m:
            raise bad("keys do not match their ids")
        index: dict[str, int | tuple[int, ...]] = {}
        for key, pid in zip(keys, ids.tolist(), strict=True):
            _add(index, key, pid)
        guard = cls.__new__(cls)
        guard._init(parts, index)
        return guard


def _add(index: dict[str, int | tuple[int, ...]], key: str, pid: int) -> None:
    old = index.get(key)
    if old is None:
        index[key] = pid
    elif isinstance(old, int):
        if old != pid:
            index[key] = (old, pid)
    elif pid not in old:
        index[key] = (*old, pid)


def _checksum(arrays: dict[str, npt.NDArray[Any]]) -> str:
    digest = hashlib.sha256()
    for name in ("names_blob", "name_offsets", "keys_blob", "key_ids"):
        digest.update(name.encode())
        digest.update(np.ascontiguousarray(arrays[name]).tobytes())
    return digest.hexdigest()
