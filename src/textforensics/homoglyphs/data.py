"""Lookup tables of the homoglyph detector, built once per process from the generated
Unicode data in :mod:`textforensics.tables`: per-code-point scripts, script groups and flags
(numpy arrays and their ``bytes`` twins), digit sets, the confusable skeletons and the
look-alike a character has in a script, the benign class of the prefilter, and one 16-bit
table per dominant script for the vectorised scan.

Thread safety: every table is immutable once published (numpy arrays are read-only,
mappings are read-only views) and is built under a lock, so that threads arriving together
on a cold cache wait for one build instead of each building (and holding) a copy of its
own. The per-character helpers memoised with ``functools.cache`` are pure functions of
their arguments returning immutable values: two threads may compute the same entry, never
a different one.
"""

from __future__ import annotations

import json
import sys
import threading
import unicodedata
import zlib
from array import array
from collections.abc import Callable, Mapping
from functools import cache
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from ..tables import confusable_prototypes, load_json, read_data
from ..text import skeleton

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    import regex

__all__ = [
    "B_ALWAYS",
    "B_CONF",
    "B_DIGIT",
    "B_EMOJI",
    "B_GENUINE",
    "B_JOIN",
    "B_VSBASE",
    "B_WORD",
    "CJK_SCRIPTS",
    "FAST_SLOW",
    "F_ALWAYS",
    "F_DIGIT",
    "F_EMOJI",
    "F_JOIN",
    "F_LETTER",
    "F_RTL",
    "F_VSBASE",
    "F_WORD",
    "NCP",
    "WORD_MARKS",
    "Tables",
    "augmented",
    "benign_bmp",
    "benign_class",
    "benign_ranges",
    "benign_ranges_reference",
    "certainly_clean",
    "char_name",
    "char_skeletons",
    "codepoints",
    "exemplars",
    "fast_table",
    "groups",
    "lookalike",
    "lut",
    "reverse_skeleton",
    "reverse_skeletons_reference",
    "script",
    "script_extensions",
    "suspect_re",
    "tables",
]

_T = TypeVar("_T")
_S = TypeVar("_S", bound="np.generic")


def _built_once(build: Callable[[], _T]) -> Callable[[], _T]:
    """A zero-argument memo whose value is built under a lock: concurrent first callers
    wait for one build. Later calls read the published value without locking."""
    lock = threading.Lock()
    box: list[_T] = []

    def get() -> _T:
        if not box:
            with lock:
                if not box:
                    box.append(build())
        return box[0]

    get.__doc__ = build.__doc__
    get.__name__ = build.__name__
    get.__qualname__ = build.__qualname__
    return get


def _read_only(array: npt.NDArray[_S]) -> npt.NDArray[_S]:
    array.flags.writeable = False
    return array


NCP = 0x110000
"""Number of code points: the length of every per-code-point table."""

FAST_SLOW = 255
"""The :attr:`Tables.fast` value of characters that need the full analysis."""
_SLOW_CLASS = chr(FAST_SLOW)

# Bits of Tables.flags.
F_WORD, F_ALWAYS, F_EMOJI, F_JOIN, F_VSBASE, F_LETTER, F_DIGIT, F_RTL = (1 << i for i in range(8))

# Han-based writing systems whose scripts mix in one word (UTS #39 §5.1 augmentation).
CJK_SCRIPTS = frozenset(("Hani", "Hira", "Kana", "Hang", "Bopo"))
_AUGMENT = {
    "Hani": frozenset(("Hani", "Hanb", "Jpan", "Kore")),
    "Hira": frozenset(("Hira", "Jpan")),
    "Kana": frozenset(("Kana", "Jpan")),
    "Hang": frozenset(("Hang", "Kore")),
    "Bopo": frozenset(("Bopo", "Hanb")),
}


class Tables(NamedTuple):
    """Per-code-point data of the detector (read-only once built). The ``bytes`` tables
    are what the per-character code reads; :attr:`flags`, :attr:`group` and
    :attr:`pair_ok` are read-only numpy views for the vectorised scan, made on demand so
    that a short text's scan never imports numpy."""

    scripts: tuple[str, ...]
    script_id: Mapping[str, int]
    sc: bytes  # Script id per code point
    scx: Mapping[int, frozenset[str]]  # Script_Extensions where it differs from {Script}
    flags_b: bytes  # F_* bits per code point
    group_b: bytes  # script group of letters and marks (0: none / shared)
    dset: bytes  # digit set per code point (0: not a decimal digit)
    dzero: tuple[int, ...]  # code point of the zero of each digit set
    allowed: bytes  # 1 where IdentifierStatus is Allowed
    ignorable: bytes  # 1 where Default_Ignorable_Code_Point
    looks_letter: bytes  # 1 for non-letters confusable with letters
    latin_twin: bytes  # 1 for allowed Latin letters confusable with one ASCII letter
    nfkc_div: bytes  # 1 where NFKC (case-folded) and the look-alike name different letters
    # Per code point, for the short-text fast path: 0 for characters that never matter,
    # the script group of letters and marks (ASCII letters: Latin), SLOW for characters
    # only the full analysis can judge (look-alikes, hidden characters, digits of other
    # sets, combining marks that attach to Latin letters, letters of several scripts).
    fast: bytes
    zwsp_ctx: bytes  # 1 for letters and marks of scripts that separate words with ZWSP
    latin: int
    cjk: int
    regex_unicode_version: str
    # Skeletons of confusables.txt characters that differ from the character's prototype
    # (see char_skeletons).
    skeleton_exceptions: Mapping[str, str]
    # The confusables grouped by skeleton, for suggestions (see reverse_skeleton): the
    # distinct skeletons joined by NUL, and in the same order the characters (one code
    # point each) that have each skeleton, in confusables.txt order, also joined by NUL.
    # Two strings decode in well under a millisecond where the mapping itself took ten.
    twin_skeletons: str
    twin_sources: str
    # Per script group name, where the code points that look like a string of its letters
    # are in conf_blob (start, count), and those code points (uint32, little-endian).
    conf_index: Mapping[str, tuple[int, int]]
    conf_blob: bytes

    @property
    def flags(self) -> npt.NDArray[np.uint8]:
        """:attr:`flags_b` as a read-only numpy array."""
        import numpy as np  # lazy: only the vectorised paths need numpy

        return np.frombuffer(self.flags_b, np.uint8)

    @property
    def group(self) -> npt.NDArray[np.uint8]:
        """:attr:`group_b` as a read-only numpy array."""
        import numpy as np  # lazy: see flags

        return np.frombuffer(self.group_b, np.uint8)

    @property
    def pair_ok(self) -> npt.NDArray[np.bool_]:
        """The script-group pairs that may meet inside a word (read-only 256 x 256): a
        group with itself, and Latin with the CJK group."""
        import numpy as np  # lazy: see flags

        ok = np.eye(256, dtype=np.bool_)
        ok[self.latin, self.cjk] = ok[self.cjk, self.latin] = True
        return _read_only(ok)


class Exemplars(NamedTuple):
    """CLDR exemplar characters (``data/exemplars.json``): the strings some locale writes in
    its main set, and in its main or auxiliary set (NFC, both cases)."""

    main: frozenset[str]
    any: frozenset[str]
    marks: tuple[frozenset[str], ...]  # per locale: the combining marks it writes


@_built_once
def exemplars() -> Exemplars:
    """The union of every CLDR locale's exemplar characters (built once)."""
    doc = load_json("exemplars.json")
    main: set[str] = set()
    every: set[str] = set()
    marks: set[frozenset[str]] = set()
    for sets in doc["locales"].values():
        main.update(sets["main"])
        every.update(sets["main"], sets["aux"])
        used = frozenset(
            c for c in (*sets["main"], *sets["aux"]) if unicodedata.category(c)[0] == "M"
        )
        if used:
            marks.add(used)
    return Exemplars(
        main=frozenset(main),
        any=frozenset(every),
        marks=tuple(sorted(marks, key=lambda m: (len(m), sorted(m)))),
    )


FILE_MAGIC = b"textforensics homoglyph tables 2\n"
"""First bytes of ``data/homoglyph_tables.bin`` (see :mod:`.data_build`)."""

TABLE_FIELDS = (
    "sc",
    "flags_b",
    "group_b",
    "dset",
    "allowed",
    "ignorable",
    "looks_letter",
    "latin_twin",
    "nfkc_div",
    "fast",
    "zwsp_ctx",
)
"""The per-code-point tables of the file's compressed payload, in order."""

TABLES_FILE = "homoglyph_tables.bin"

TABLE_BLOCK = 256
"""Block size of the file's per-code-point tables (see :func:`decode_tables`)."""


class _Payload(NamedTuple):
    """A tables file checked and inflated, its per-code-point tables not yet rebuilt."""

    header: dict[str, Any]
    blocks: list[bytes]  # the pool of distinct blocks
    numbers: array[int]  # per table, the pool number of each of its blocks
    conf_blob: bytes
    twins: bytes


_PER_TABLE = NCP // TABLE_BLOCK


def _inflate(raw: bytes) -> _Payload:
    """Check and inflate ``raw`` (see :func:`decode_tables`)."""
    if not raw.startswith(FILE_MAGIC) or len(raw) < len(FILE_MAGIC) + 4:
        raise ValueError(f"not a textforensics tables file (expected {FILE_MAGIC!r})")
    at = len(FILE_MAGIC)
    size = int.from_bytes(raw[at : at + 4], "little")
    header = json.loads(raw[at + 4 : at + 4 + size].decode("ascii"))
    payload = zlib.decompress(raw[at + 4 + size :])
    count = _PER_TABLE * len(TABLE_FIELDS)
    index = array("H")
    index.frombytes(payload[: 2 * count])
    if sys.byteorder == "big":
        index.byteswap()
    conf_at = 2 * count + header["pool_bytes"]
    spans = header["conf_index"].values()
    twins_at = conf_at + 4 * sum(n for _, n in spans)
    skeletons_bytes, sources_bytes = header["twin_bytes"]
    pool, conf_blob = payload[2 * count : conf_at], payload[conf_at:twins_at]
    twins = payload[twins_at:]
    if (
        len(index) != count
        or len(pool) % TABLE_BLOCK
        or any(start < 0 or n < 0 or 4 * (start + n) > len(conf_blob) for start, n in spans)
        or len(twins) != skeletons_bytes + sources_bytes
    ):
        raise ValueError("damaged tables payload")
    blocks = [pool[i : i + TABLE_BLOCK] for i in range(0, len(pool), TABLE_BLOCK)]
    return _Payload(header, blocks, index, conf_blob, twins)


def _column(p: _Payload, name: str) -> bytes:
    """The per-code-point table ``name`` of an inflated file, rebuilt (1.1 MB)."""
    k = TABLE_FIELDS.index(name)
    numbers = p.numbers[k * _PER_TABLE : (k + 1) * _PER_TABLE]
    try:
        # A block number past the pool raises IndexError here: checking max(index) first
        # would walk the 48,000 numbers once more in Python.
        return b"".join(map(p.blocks.__getitem__, numbers))
    except IndexError:
        raise ValueError("damaged tables payload") from None


def decode_tables(raw: bytes) -> Tables:
    """The :class:`Tables` stored in ``raw`` (the bytes of :data:`TABLES_FILE`); raises
    ValueError on a file of another format or a damaged one (zlib's checksum).

    The per-code-point tables are stored as blocks of :data:`TABLE_BLOCK` bytes: one pool
    of the distinct blocks (about 800 of the 48,000) and, per table, the index of each of
    its blocks in the pool. Rebuilding a table is one ``bytes.join``, a few milliseconds
    for all of them, where inflating the 12 MB with zlib would take ten times longer."""
    return _tables_of(_inflate(raw), {})


def _tables_of(p: _Payload, built: Mapping[str, bytes]) -> Tables:
    """:class:`Tables` from an inflated file; ``built``: tables already rebuilt."""
    header, twins = p.header, p.twins
    columns = {name: built.get(name) or _column(p, name) for name in TABLE_FIELDS}
    scx: dict[int, frozenset[str]] = {}
    for lo, hi, codes in header["scx"]:
        value = frozenset(codes)
        for cp in range(lo, hi + 1):
            scx[cp] = value
    scripts: tuple[str, ...] = tuple(header["scripts"])
    skeletons_bytes = header["twin_bytes"][0]
    twin_skeletons = twins[:skeletons_bytes].decode("utf-8")
    twin_sources = twins[skeletons_bytes:].decode("utf-8")
    if twin_skeletons.count("\0") != twin_sources.count("\0"):
        raise ValueError("damaged tables payload")
    return Tables(
        scripts=scripts,
        script_id=MappingProxyType({s: i for i, s in enumerate(scripts)}),
        scx=MappingProxyType(scx),
        dzero=tuple(header["dzero"]),
        latin=header["latin"],
        cjk=header["cjk"],
        regex_unicode_version=header["regex_unicode_version"],
        skeleton_exceptions=MappingProxyType(header["skeleton_exceptions"]),
        twin_skeletons=twin_skeletons,
        twin_sources=twin_sources,
        conf_index=MappingProxyType(
            {name: (start, count) for name, (start, count) in header["conf_index"].items()}
        ),
        conf_blob=p.conf_blob,
        **columns,
    )


@_built_once
def _payload() -> _Payload:
    return _inflate(read_data(TABLES_FILE))


@_built_once
def fast_table() -> bytes:
    """:attr:`Tables.fast` alone (what :func:`certainly_clean` reads), without rebuilding
    the other ten tables: a command that meets only clean text needs no more."""
    return _column(_payload(), "fast")


@_built_once
def tables() -> Tables:
    """The detector's per-code-point tables, loaded once from the generated
    :data:`TABLES_FILE` (a few milliseconds; building them from the Unicode data takes a
    few hundred, see :mod:`.data_build`)."""
    return _tables_of(_payload(), {"fast": fast_table()})


def certainly_clean(text: str) -> bool:
    """Whether ``text`` certainly has no finding: its letters are of one script group and
    none of its characters needs the full analysis (the test the detector's screens apply
    before anything else, read from :attr:`Tables.fast` alone)."""
    classes = text.translate(fast_table()).replace("\0", "")
    return not classes or (classes[0] != _SLOW_CLASS and not classes.strip(classes[0]))


@cache
def confusable_with(dominant: int) -> frozenset[int]:
    """The code points that look like letters of script group ``dominant`` (an index of
    :attr:`Tables.scripts`; 0: none)."""
    t = tables()
    start, count = t.conf_index.get(t.scripts[dominant], (0, 0)) if dominant else (0, 0)
    cps = array("I")
    cps.frombytes(t.conf_blob[4 * start : 4 * (start + count)])
    if sys.byteorder == "big":
        cps.byteswap()
    return frozenset(cps)


def conf_bits(dominant: int, cp: int) -> int:
    """``lut(dominant)[cp] & (B_CONF | B_GENUINE)`` computed for one code point without
    building the table: the sparse path of the scan looks at a few characters only."""
    t = tables()
    g = t.group_b[cp]
    if not dominant or not g or g == dominant or g == t.latin:
        return 0
    return B_CONF if cp in confusable_with(dominant) else B_GENUINE


def script(cp: int) -> str:
    """The Script property value (ISO 15924 code) of code point ``cp``."""
    t = tables()
    return t.scripts[t.sc[cp]] if cp < NCP else "Zzzz"


def script_extensions(cp: int) -> frozenset[str]:
    """The Script_Extensions of code point ``cp``."""
    t = tables()
    found = t.scx.get(cp)
    return found if found is not None else frozenset((t.scripts[t.sc[cp]],))


@cache
def groups(cp: int) -> frozenset[str]:
    """Script groups a character belongs to (CJK scripts count as 'Hani')."""
    return frozenset("Hani" if s in CJK_SCRIPTS else s for s in script_extensions(cp))


@cache
def augmented(cp: int) -> frozenset[str] | None:
    """Augmented Script_Extensions (UTS #39 §5.1); None for Common/Inherited (= all)."""
    sx = script_extensions(cp)
    if sx <= {"Zyyy", "Zinh"}:
        return None
    out: set[str] = set()
    for s in sx:
        out |= _AUGMENT.get(s, {s})
    return frozenset(out)


@_built_once
def char_skeletons() -> Mapping[str, str]:
    """Skeleton of every character listed in confusables.txt: its prototype, but for the
    few whose prototype NFD and the mapping change again (stored in the tables file)."""
    differs = tables().skeleton_exceptions
    return MappingProxyType(
        {ch: differs.get(ch, proto) for ch, proto in confusable_prototypes().items()}
    )


@_built_once
def _twins() -> Mapping[str, str]:
    """Per skeleton, the confusables that have it, as one string (in confusables.txt
    order). Read from the tables file, where it is stored precomputed: two ``split`` calls
    instead of grouping the 6,565 confusables on every start."""
    t = tables()
    return MappingProxyType(
        dict(zip(t.twin_skeletons.split("\0"), t.twin_sources.split("\0"), strict=True))
    )


def reverse_skeleton(sk: str) -> tuple[str, ...]:
    """The confusables whose skeleton is ``sk``, then ``sk`` itself; empty when no
    confusable has that skeleton. What :func:`lookalike` chooses from."""
    chars = _twins().get(sk)
    return () if chars is None else (*chars, sk)


def reverse_skeletons_reference() -> Mapping[str, tuple[str, ...]]:
    """:func:`reverse_skeleton` for every skeleton, built from :func:`char_skeletons`
    directly (a plain reference for tests: the stored strings must decode to this)."""
    rev: dict[str, list[str]] = {}
    for ch, sk in char_skeletons().items():
        rev.setdefault(sk, []).append(ch)
    return MappingProxyType({sk: (*chars, sk) for sk, chars in rev.items()})


def char_name(ch: str) -> str:
    """The Unicode name of ``ch``, or ``<control>`` / ``<U+XXXX>`` where it has none."""
    name = unicodedata.name(ch, "")
    if name:
        return name
    cp = ord(ch)
    if unicodedata.category(ch) == "Cc":
        return "<control>"
    return f"<U+{cp:04X}>"


@cache
def lookalike(ch: str, group: str) -> str | None:
    """The string of script group ``group`` that ``ch`` is confusable with, or None."""
    t = tables()
    sk = skeleton(ch)
    if not sk or sk == unicodedata.normalize("NFD", ch):
        options: tuple[str, ...] = reverse_skeleton(sk)
    else:
        options = (*reverse_skeleton(sk), sk)
    upper = ch.isupper()
    best: tuple[tuple[int, int, int, int, int, int], str] | None = None
    # A letter of ``group`` itself is only offered a better-ranked twin: two rare letters
    # of one class (Ɵ and Ꝋ) would otherwise suggest each other, and a fix would swap
    # them back and forth. The best-ranked member of a class is then its fixed point.
    cp0 = ord(ch)
    if t.flags_b[cp0] & F_LETTER and group in groups(cp0):
        best = (_rank(ch, True, bool(t.allowed[cp0]), upper), ch)
    for option in options:
        option = unicodedata.normalize("NFC", option)
        if option == ch or not option or skeleton(option) != sk:
            continue
        ok = True
        has_letter = False
        for c in option:
            cp = ord(c)
            if t.flags_b[cp] & F_LETTER:
                has_letter = True
                if group not in groups(cp):
                    ok = False
                    break
            elif script(cp) not in ("Zyyy", "Zinh"):
                ok = False
                break
        if not ok or not (has_letter or (group == "Latn" and option.isascii())):
            continue  # ASCII digits are a Latin word's look-alikes too (Cherokee Ꮞ for 4)
        all_allowed = all(t.allowed[ord(c)] for c in option)
        key = _rank(option, has_letter, all_allowed, upper)
        if best is None or key < best[0]:
            best = (key, option)
    return None if best is None or best[1] == ch else best[1]


def _rank(
    option: str, has_letter: bool, all_allowed: bool, upper: bool
) -> tuple[int, int, int, int, int, int]:
    """How good a suggestion ``option`` is (lower is better). ASCII first: a suggestion
    that is itself a look-alike (Ƨ for the segmented digit 2) would be flagged again after
    the fix; then letters, allowed, the case of the original."""
    return (
        0 if option.isascii() else 1,
        0 if has_letter else 1,
        0 if all_allowed else 1,
        0 if option.isupper() == upper else 1,
        len(option),
        ord(option[0]),
    )


# --- the benign class of the prefilter ----------------------------------------------------

# Characters that can never start a finding on their own: ASCII, Latin-1, Latin letters
# (Extended-A/B, Extended Additional), ordinary punctuation (excluding the hidden and bidi
# characters of General Punctuation), arrows, math operators, technical symbols, box
# drawing, shapes, dingbats, CJK-neutral emoji. Combining marks are not benign: one
# inserted into an ASCII word is a disguise (.marks).
_BENIGN_RANGES = (
    (0x00, 0x017F),
    (0x1E00, 0x1EFF),
    (0x2000, 0x20CF),
    (0x2190, 0x23FF),
    (0x2500, 0x27BF),
    (0x1F300, 0x1FAFF),
)


_MIN_BENIGN_RUN = 64


@_built_once
def benign_ranges() -> tuple[tuple[int, int], ...]:
    """The benign ranges minus every character flagged ALWAYS (hidden characters,
    look-alikes), so those are found too."""
    # Each range's flags are turned into "." (benign) and "!" (ALWAYS) bytes with one
    # translate, and its runs found with bytes.find: a loop over the 5,000 code points in
    # Python was a visible part of the first finding's cost. benign_ranges_reference is
    # that loop, kept for the tests.
    flags = tables().flags_b
    parts: list[tuple[int, int]] = []
    for lo, hi in _BENIGN_RANGES:
        marks = flags[lo : hi + 1].translate(_ALWAYS_MARKS)
        start = marks.find(b".")
        while start >= 0:
            stop = marks.find(b"!", start)
            stop = len(marks) if stop < 0 else stop
            # Short benign fragments are dropped (their characters become hits): a class
            # with few ranges scans several times faster.
            if stop - start >= _MIN_BENIGN_RUN or lo + start < 0x2100:
                parts.append((lo + start, lo + stop - 1))
            start = marks.find(b".", stop)
    return tuple(parts)


_ALWAYS_MARKS = bytes(ord("!") if i & F_ALWAYS else ord(".") for i in range(256))


def benign_ranges_reference() -> tuple[tuple[int, int], ...]:
    """:func:`benign_ranges` one code point at a time (the plain reference for tests)."""
    flags = tables().flags_b
    parts: list[tuple[int, int]] = []
    for lo, hi in _BENIGN_RANGES:
        start = None
        for cp in range(lo, hi + 2):
            ok = cp <= hi and not flags[cp] & F_ALWAYS
            if ok and start is None:
                start = cp
            elif not ok and start is not None:
                if cp - start >= _MIN_BENIGN_RUN or start < 0x2100:
                    parts.append((start, cp - 1))
                start = None
    return tuple(parts)


def codepoints(text: str) -> npt.NDArray[np.uint32]:
    """The code points of ``text`` as an array (lone surrogates kept)."""
    import numpy as np  # lazy: a short text's scan never needs it

    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


# A text translated by :attr:`Tables.flags_b` (every code point becomes the character whose
# ordinal is its ``F_*`` bits), translated again by this table, is "\1" at each word
# character (:data:`textforensics.text.WORD_RE`: letters, marks, numbers, connectors and
# default-ignorables) and "\0" elsewhere: a short text's word edges are then found with
# ``str.find`` and ``str.rfind``, neither ``regex`` nor a compiled pattern.
WORD_MARKS = bytes(1 if v & F_WORD else 0 for v in range(256))


@_built_once
def benign_class() -> bytes:
    """:func:`benign_ranges` as a ``str.translate`` table over every code point:
    ``"\\1"`` inside the benign class, ``"\\0"`` outside it (a suspect character)."""
    table = bytearray(NCP)
    for lo, hi in benign_ranges():
        table[lo : hi + 1] = b"\1" * (hi + 1 - lo)
    return bytes(table)


@_built_once
def suspect_re() -> regex.Pattern[str]:
    """Runs of characters outside the benign class."""
    import regex  # lazy: a command that meets only clean text does not need it

    parts = "".join(f"\\U{lo:08x}-\\U{hi:08x}" for lo, hi in benign_ranges())
    return regex.compile(f"[^{parts}]+")


@_built_once
def benign_bmp() -> npt.NDArray[np.bool_]:
    """The benign class as a read-only lookup table over the Basic Multilingual Plane."""
    import numpy as np  # lazy: only long texts are scanned with numpy

    table = np.zeros(0x10000, np.bool_)
    for lo, hi in benign_ranges():
        if lo < 0x10000:
            table[lo : min(hi, 0xFFFF) + 1] = True
    return _read_only(table)


# --- the per-dominant-script table of the vectorised scan ---------------------------------


# Bits of the per-dominant-script lookup table (low byte: script group).
B_WORD, B_ALWAYS, B_EMOJI, B_JOIN, B_VSBASE, B_DIGIT, B_CONF, B_GENUINE = (
    1 << i for i in range(8, 16)
)

_LUTS: dict[int, npt.NDArray[np.uint16]] = {}
_LUTS_LOCK = threading.Lock()


def lut(dominant: int) -> npt.NDArray[np.uint16]:
    """One uint16 per code point (read-only): script group (low byte) and the flags the
    vectorised scan needs, including which letters of other scripts look like
    ``dominant`` letters (CONF) and which cannot (GENUINE). Built once per dominant script
    (a few hundred milliseconds, 2 MB), under a lock."""
    found = _LUTS.get(dominant)
    if found is None:
        with _LUTS_LOCK:
            found = _LUTS.get(dominant)
            if found is None:
                found = _LUTS[dominant] = _read_only(_build_lut(dominant))
    return found


def _build_lut(dominant: int) -> npt.NDArray[np.uint16]:
    import numpy as np  # lazy: only the vectorised scan of dense texts needs the table

    t = tables()
    table = t.group.astype(np.uint16)
    for flag, bit in (
        (F_WORD, B_WORD),
        (F_ALWAYS, B_ALWAYS),
        (F_EMOJI, B_EMOJI),
        (F_JOIN, B_JOIN),
        (F_VSBASE, B_VSBASE),
        (F_DIGIT, B_DIGIT),
    ):
        table[(t.flags & flag) != 0] |= bit
    if dominant:
        foreign = (t.group != 0) & (t.group != dominant) & (t.group != t.latin)
        conf = np.zeros(NCP, np.bool_)
        conf[np.fromiter(confusable_with(dominant), np.int64)] = True
        table[foreign & conf] |= B_CONF
        table[foreign & ~conf] |= B_GENUINE
    return table
