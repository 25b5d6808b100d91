"""Character classes by table lookup, for the page-at-once features.

The page features (:mod:`.page`) classify every character of a page at once: a table
maps each code point to ``F_*`` bits (``str.isspace``, ``str.isalpha``, regex ``\\w``,
the characters the line cues below look for...) and to its case folding. The table is
filled lazily, 256 code points (a *page* of the table) at a time, as texts need them.

Thread safety: pages are filled under a lock and marked filled only after their flags
and folds are written, so a reader that finds a page marked filled reads final values;
a filled page never changes again. Readers take no lock.

The cue regexes are the per-line definitions (:mod:`.spec` uses them block by block);
the flags mirror the characters they look at.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence

import numpy as np
import regex

from ..text import PUNCTUATION_MAP, TOKEN_RE, casefold
from .phrases import MAX_FEATURE_CHARS, line_key

SENT_END_RE = regex.compile(r"""[.!?…‽。！？][\s"'”’»)\]]*\Z""")
INNER_SENT_RE = regex.compile(r"""[.!?…][”’"')\]]*\s+\p{Lu}""")
SEPARATOR_RE = regex.compile(r"\s[|»›•·/]\s|\s[|»›•·]|[|»›•·]\s")
LIST_MARK_RE = regex.compile(r"\A(?:[-*•·◦▪►✓✔]\s|\d{1,3}[.)]\s)")
URLISH_RE = regex.compile(r"https?://|www\.|\S@\S|\A@\w|\.(?:com|org|net)\b")
URL_NEEDLES = ("@", "www", "http", ".com")
"""Strings one of which a line holds wherever ``URLISH_RE`` is tested on it (a prefilter)."""
SEPARATOR_CHARS = frozenset("|»›•·/")

F_SPACE = 1  # str.isspace (str.split, str.strip)
F_ALPHA = 2
F_DIGIT = 4  # str.isdigit
F_UPPER = 8
F_UPCHANGE = 16  # ch.upper() != ch
F_WORD = 32  # regex \w (the characters of tokens())
F_ALNUM = 64
F_RSPACE = 128  # regex \s
F_RDIGIT = 256  # regex \d
F_SEPARATOR = 512  # a character SEPARATOR_RE needs
F_SENT_END = 1024  # [.!?…‽。！？] of SENT_END_RE
F_SENT_TRAIL = 2048  # ["'”’»)\]] of SENT_END_RE
F_PUNCT = 4096  # mapped one-to-one by PUNCTUATION_MAP
F_LIST_MARK = 8192  # a bullet of LIST_MARK_RE
F_HEADLINE_END = 16384  # a last character that spec.headline_like refuses
F_LEAD_END = 32768  # a last character of a lead sentence (rules.classify_pass)
F_UPPER_LETTER = 1 << 16  # regex \p{Lu}
F_INNER_END = 1 << 17  # [.!?…] of INNER_SENT_RE
F_INNER_CLOSE = 1 << 18  # [”’"')\]] of INNER_SENT_RE
F_SPACE_NOT_LF = 1 << 19  # regex [^\S\n]: whitespace within a line of a joined text
F_WORD_SPACE = 1 << 20  # a word character that str.split splits at (none known)

MANY_CHARS = 0xFFFFFFFF  # the fold of a code point that case-folds to several characters
_SPACE_CHAR_RE = regex.compile(r"\s")
_UPPER_LETTER_RE = regex.compile(r"\p{Lu}")
_DIGIT_CHAR_RE = regex.compile(r"\d")


def _page_values(page: int) -> tuple[list[int], list[int]]:
    """The flags and folds (``str.casefold`` as one code point, else ``MANY_CHARS``) of
    the 256 code points of table page ``page``."""
    lo = page << 8
    vals = []
    for cp in range(lo, lo + 256):
        ch = chr(cp)
        f = 0
        if ch.isspace():
            f |= F_SPACE
        if ch.isalpha():
            f |= F_ALPHA
        if ch.isdigit():
            f |= F_DIGIT
        if ch.isupper():
            f |= F_UPPER
        if ch.upper() != ch:
            f |= F_UPCHANGE
        if TOKEN_RE.fullmatch(ch):
            f |= F_WORD
        if ch.isalnum():
            f |= F_ALNUM
        if _SPACE_CHAR_RE.fullmatch(ch):
            f |= F_RSPACE
        if _DIGIT_CHAR_RE.fullmatch(ch):
            f |= F_RDIGIT
        if ch in SEPARATOR_CHARS:
            f |= F_SEPARATOR
        if ch in ".!?…‽。！？":
            f |= F_SENT_END
        if ch in "\"'”’»)]":
            f |= F_SENT_TRAIL
        if cp in PUNCTUATION_MAP and len(PUNCTUATION_MAP[cp]) == 1:
            f |= F_PUNCT
        if ch in "-*•·◦▪►✓✔":
            f |= F_LIST_MARK
        if ch in ".…:;,":
            f |= F_HEADLINE_END
        if ch in '.!”"':
            f |= F_LEAD_END
        if _UPPER_LETTER_RE.fullmatch(ch):
            f |= F_UPPER_LETTER
        if ch in ".!?…":
            f |= F_INNER_END
        if ch in "”’\"')]":
            f |= F_INNER_CLOSE
        if f & F_RSPACE and ch != "\n":
            f |= F_SPACE_NOT_LF
        if f & F_WORD and f & F_SPACE:
            f |= F_WORD_SPACE
        vals.append(f)
    folds = [chr(cp).casefold() for cp in range(lo, lo + 256)]
    return vals, [ord(x) if len(x) == 1 else MANY_CHARS for x in folds]


class CharTable:
    """Flags and case folds of every code point, filled a table page at a time.

    ``filled[p]`` says page ``p`` is final; ``filled_below``: every page below this code
    point is (it only grows); ``word_space_seen``: a filled page holds an ``F_WORD_SPACE``
    character. All three change only under the lock, after the values they vouch for are
    written."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.flags = np.zeros(0x110000, dtype=np.uint32)
        self.fold = np.zeros(0x110000, dtype=np.uint32)
        self.filled = np.zeros(0x1100, dtype=bool)
        self.filled_below = 0
        self.word_space_seen = False
        self.fill_pages(range(1), below=0x100)  # Latin-1: every text needs it

    def fill_pages(self, pages: Sequence[int] | range, below: int | None = None) -> None:
        """Fill the ``pages`` not filled yet; then, if given, raise ``filled_below`` to
        ``below`` (which the caller vouches for: every page under it is among ``pages``
        or filled)."""
        with self._lock:
            for p in pages:
                if self.filled[p]:
                    continue
                vals, folds = _page_values(p)
                lo = p << 8
                self.flags[lo : lo + 256] = vals
                self.fold[lo : lo + 256] = folds
                if any(v & F_WORD_SPACE for v in vals):
                    self.word_space_seen = True
                self.filled[p] = True  # published: the values above are final
            if below is not None and below > self.filled_below:
                self.filled_below = below


_TABLE = CharTable()
_PUNCT_FROM = np.array(sorted(c for c in PUNCTUATION_MAP if len(PUNCTUATION_MAP[c]) == 1))
_PUNCT_TO = np.array([ord(PUNCTUATION_MAP[c]) for c in _PUNCT_FROM.tolist()], dtype=np.uint32)


def codepoints(s: str) -> np.ndarray:
    """The code points of ``s`` (lone surrogates included)."""
    if s.isascii():
        return np.frombuffer(s.encode("ascii"), dtype=np.uint8)
    return np.frombuffer(s.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def flags_of(cps: np.ndarray) -> np.ndarray:
    """``F_*`` flags of code points (filling the table pages they need)."""
    table = _TABLE
    if cps.dtype != np.uint8 and len(cps):
        below = table.filled_below
        rare = cps[cps >= below]  # code points in pages perhaps not filled
        if len(rare):
            top = int(rare.max()) >> 8
            if top < 0x30:  # the alphabets and punctuation of most pages: fill all below
                table.fill_pages(range(below >> 8, top + 1), below=(top + 1) << 8)
            else:
                pages = np.unique(rare >> 8)
                missing = pages[~table.filled[pages]]
                if len(missing):
                    table.fill_pages(missing.tolist())
    out: np.ndarray = table.flags.take(cps)  # (take: see docs/boilerplate.md, Throughput)
    return out


def folds_of(cps: np.ndarray) -> np.ndarray:
    """``str.casefold`` of code points whose flags were asked for (:func:`flags_of`), as
    code points; ``MANY_CHARS`` where a code point folds to several characters."""
    out: np.ndarray = _TABLE.fold.take(cps)
    return out


def word_space_seen() -> bool:
    """Whether some code point whose flags were asked for is a word character that
    ``str.split`` splits at (none is known; the page features then take a slower path)."""
    return _TABLE.word_space_seen


def fill_all_pages(last_page: int) -> None:
    """Fill the table pages up to ``last_page`` (for tests of the whole table)."""
    _TABLE.fill_pages(range(last_page + 1))


def table_folds() -> np.ndarray:
    """The whole fold table (read-only view; for tests)."""
    view: np.ndarray = _TABLE.fold.view()
    view.flags.writeable = False
    return view


def span_sums(mask: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Per line ``[lo, hi)`` of a joined text (lines separated by one character): how
    many entries of ``mask`` are true (lines are cut to MAX_FEATURE_CHARS: a count
    fits in 32 bits)."""
    n = len(lo)
    out = np.zeros(n, dtype=np.int64)
    if n == 0:
        return out
    m = n if hi[-1] > lo[-1] else n - 1  # reduceat needs in-range starts
    if m:
        out[:m] = np.add.reduceat(mask, lo[:m], dtype=np.int32)  # lines are short
        out[: n - 1] -= mask[hi[: n - 1]]  # the separator after each line
    return out


_LOG1P_INTS = np.array([math.log1p(i) for i in range(4096)], dtype=np.float64)


def log1p_exact(values: np.ndarray) -> np.ndarray:
    """``math.log1p`` of each (non-negative) value, as the per-block code computes it:
    integers below 4096 from a table, other values one by one."""
    values = np.asarray(values)
    if len(values) == 0:
        return np.zeros(0, dtype=np.float64)
    if values.dtype.kind in "iu" and int(values.max()) < len(_LOG1P_INTS):
        table: np.ndarray = _LOG1P_INTS[values]
        return table
    return np.array(list(map(math.log1p, values.tolist())), dtype=np.float64)


def key_words(
    keys: Sequence[str],
    joined_keys: str,
    bounds: tuple[np.ndarray, np.ndarray] | None = None,
    key_cps: np.ndarray | None = None,
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The words (``\\w+`` runs, as ``tokens``) of ``keys`` in order, each key's number of
    words, and whether each key holds a word character that is not alphanumeric (``_`` or
    a mark); ``joined_keys``: ``"\\n".join(keys)``, ``bounds``: ``joined_bounds(keys)`` if
    at hand, ``key_cps``: the code points of ``joined_keys`` if at hand
    (:func:`line_key_codes`). No word crosses a line feed."""
    klo, khi = joined_bounds(keys) if bounds is None else bounds
    kcps = codepoints(joined_keys) if key_cps is None else key_cps
    kflags = flags_of(kcps)
    kword = (kflags & F_WORD) != 0
    if word_space_seen() and (kflags & F_WORD_SPACE).any():
        # a word character that str.split splits at
        words: list[str] = TOKEN_RE.findall(joined_keys)
    else:  # the same without a regex: everything but word characters to spaces, split
        spaced = (kcps.astype("<u4") - 32) * kword  # np.where(kword, kcps, 32)
        spaced += 32
        if kcps.dtype == np.uint8:
            words = spaced.astype(np.uint8).tobytes().decode("ascii").split()
        else:
            words = spaced.astype("<u4", copy=False).tobytes().decode("utf-32-le").split()
    run_start = kword.copy()
    run_start[1:] &= ~kword[:-1]
    nw = span_sums(run_start, klo, khi)
    if int(nw.sum()) != len(words):  # cannot happen; per-key tokens as a safeguard
        nw = np.fromiter((len(TOKEN_RE.findall(k)) for k in keys), dtype=np.int64, count=len(keys))
    odd_word = (kflags & (F_WORD | F_ALNUM)) == F_WORD  # "_" or a mark: rare
    n = len(keys)
    unclean = span_sums(odd_word, klo, khi) > 0 if odd_word.any() else np.zeros(n, bool)
    return words, nw, unclean


def joined_bounds(
    lines: Sequence[str], lens: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Start and end offsets of each of ``lines`` in ``"\\n".join(lines)`` (``lens``: their
    lengths, if known)."""
    if lens is None:
        lens = np.fromiter(map(len, lines), dtype=np.int64, count=len(lines))
    lo = np.zeros(len(lines), dtype=np.int64)
    if len(lines) > 1:
        (lens[:-1] + 1).cumsum(out=lo[1:])
    return lo, lo + lens


def line_keys_joined(
    lines: Sequence[str],
    joined: str | None = None,
    flags: np.ndarray | None = None,
    stripped: bool = False,
    joined_cps: np.ndarray | None = None,
) -> tuple[str, list[str]]:
    """The keys of ``lines`` (:func:`line_keys`) and the keys joined by line feeds;
    ``joined``: ``"\\n".join(x[:MAX_FEATURE_CHARS] for x in lines)`` if at hand, and
    ``flags`` its ``F_*`` flags. ``stripped``: ``joined``'s lines neither start nor end
    with whitespace; then neither do the keys (the normalization turns only whitespace
    into whitespace: regex ``\\s`` is a subset of ``str.isspace``). ``joined_cps``: the
    code points of ``joined`` (with ``flags``)."""
    folded, keys, _codes = line_key_codes(lines, joined, flags, stripped, joined_cps)
    return folded, keys


def line_key_codes(
    lines: Sequence[str],
    joined: str | None = None,
    flags: np.ndarray | None = None,
    stripped: bool = False,
    joined_cps: np.ndarray | None = None,
) -> tuple[str, list[str], np.ndarray | None]:
    """:func:`line_keys_joined` (same arguments), and the code points of the joined keys
    where they were made on the way (else None): :func:`key_words` then need not encode
    them again."""
    if joined is None:
        joined = "\n".join(x[:MAX_FEATURE_CHARS] for x in lines)
    if joined.count("\n") != len(lines) - 1:  # a line holds a line feed itself
        keys = [line_key(x).strip() for x in lines]
        return "\n".join(keys), keys, None
    # Case folding, by code point from a table when each character folds to one (as
    # str.casefold, which folds character by character), else by str.casefold.
    folded = ""
    cps = None
    if joined_cps is not None and flags is not None:
        cps = folds_of(joined_cps)
        if len(cps) and int(cps.max()) == MANY_CHARS:
            cps = None
    if cps is None:
        folded = casefold(joined)
        cps = codepoints(folded)
    # By code point: the punctuation map (but for the ellipsis), whitespace runs other
    # than line feeds to one space, digit runs to one "0".
    # When case folding mapped each character to one (the lengths agree), the flags of
    # ``joined`` serve: it changes no whitespace, digit or punctuation flag.
    same = flags is not None and len(cps) == len(joined)
    f = flags if flags is not None and same else flags_of(cps)
    ws = (f & F_SPACE_NOT_LF) != 0
    dg = (f & F_RDIGIT) != 0
    # as unify_punctuation (in ASCII text, the backtick is the map's one key)
    punct = (f & F_PUNCT) != 0
    codes: np.ndarray | None = None
    if ws.any() or dg.any() or punct.any():
        out = cps.astype("<u4")
        if punct.any():
            out[punct] = _PUNCT_TO[np.searchsorted(_PUNCT_FROM, out.compress(punct))]
        odd = ws & (cps != 32)  # whitespace other than the space
        if odd.any():
            out[odd] = 32
        out[dg] = 48
        drop = (ws[1:] & ws[:-1]) | (dg[1:] & dg[:-1])  # a run's later characters
        if drop.any():
            keep = np.ones(len(out), dtype=bool)
            np.logical_not(drop, out=keep[1:])
            out = out[keep]
        folded = out.tobytes().decode("utf-32-le", "surrogatepass")
        codes = out
    elif not folded:  # folded by the table
        codes = cps.astype("<u4")
        folded = codes.tobytes().decode("utf-32-le", "surrogatepass")
    if "…" in folded:
        folded = folded.replace("…", "...")
        codes = None
    if stripped:
        return folded, folded.split("\n"), codes
    keys = [x.strip() for x in folded.split("\n")]
    return "\n".join(keys), keys, None
