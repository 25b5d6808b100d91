"""A page's blocks and their own features, computed for all blocks at once.

:func:`read_page` cuts a text into blocks (as :func:`.spec.segment` does) and computes
the language-independent own features of all of them together: character classes by
table lookup on the code points of the joined lines (:mod:`.chars`), per-block counts
from prefix sums, regex cues by one scan of the joined lines (patterns made line-bound:
``\\s`` -> ``[^\\S\\n]``, ``\\A`` / ``\\Z`` -> line start / end). :func:`own_rows` adds
the language-dependent ones (stop words, dates, phrase hits) once per language.
Both give exactly the rows :func:`.spec.own_features` gives block by block
(tests/test_boilerplate.py checks it); lines over ``MAX_FEATURE_CHARS`` are left to it.

A :class:`Page` belongs to one call of ``strip_boilerplate``: the caches it carries
(``by_language``, ``word_info``) are per call.

A text whose lines hold more than ``CHUNK_CHARS`` characters is read in chunks of whole
blocks (every own feature depends on its block alone), so that the per-character arrays
stay bounded; the page then keeps no word strings (8 million of them in 50 MB of prose
would outweigh the text several times): the per-word bits (:func:`page_word_info`) and
the thread marks are computed chunk by chunk, and a block's words are re-read from its
key when needed (:meth:`Page.block_words`). Both ways give the same page
(tests/test_boilerplate.py checks it).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, partial
from itertools import compress, count, groupby, pairwise, repeat
from operator import is_not, itemgetter

import numpy as np

from ..text import tokens
from .chars import (
    F_ALPHA,
    F_DIGIT,
    F_HEADLINE_END,
    F_INNER_CLOSE,
    F_INNER_END,
    F_LEAD_END,
    F_LIST_MARK,
    F_RDIGIT,
    F_RSPACE,
    F_SENT_END,
    F_SENT_TRAIL,
    F_SEPARATOR,
    F_SPACE,
    F_SPACE_NOT_LF,
    F_UPCHANGE,
    F_UPPER,
    F_UPPER_LETTER,
    LIST_MARK_RE,
    SENT_END_RE,
    URL_NEEDLES,
    URLISH_RE,
    codepoints,
    flags_of,
    joined_bounds,
    key_words,
    line_key_codes,
    log1p_exact,
    span_sums,
)
from .features import N_OWN, OWN_COLUMN
from .phrases import (
    EDGE_CHARS,
    FIRST_WORD,
    HARD_LIMITS,
    LANGUAGES,
    MAX_FEATURE_CHARS,
    SECOND_WORD,
    SINGLE_WORD,
    VOCAB_SHIFT,
    contained_phrase,
    contains_pairs,
    edge_strip,
    first_chars,
    pair_codes,
    phrase_data,
    start_prefixes,
    stopword_sets,
    word_info,
)
from .pieces import BlockContents, bit, line_table, per_block, phrase_words, split_lines
from .spec import LONG_WORDS, Block, headline_like, own_features
from .threads import WORD_BITS, block_marks, thread_word_bits

CHUNK_CHARS = 1 << 16
"""Characters of block contents read at once (a chunk of whole blocks; see above)."""


@dataclass(slots=True)
class Page:
    """All blocks of one text as parallel arrays, with their language-independent
    features (see :func:`read_page`)."""

    n: int
    starts: list[int]
    ends: list[int]
    line_numbers: list[int]
    lead: np.ndarray  # bool: the leading blank lines (paragraph -1)
    blank: np.ndarray  # bool: the block's tail holds a blank line
    contents: Sequence[str]  # the line, stripped (read from the text when read in chunks)
    keys: list[str]
    edge_keys: list[str]
    first4: list[str]  # their first four characters
    words: list[str] | None  # tokens of all keys in order (None: read in chunks)
    word_off: np.ndarray  # words of block i: words[word_off[i]:word_off[i + 1]]
    nw: np.ndarray
    key_ids: np.ndarray  # equal keys, equal ids (below n)
    clen: np.ndarray  # len(content)
    has_digit: np.ndarray
    ends_sentence: np.ndarray
    is_long: np.ndarray
    headline: np.ndarray
    lead_end: np.ndarray  # ends with . ! ” "
    has_key: np.ndarray
    unclean: np.ndarray  # key holds a \w character that is not alphanumeric
    base: np.ndarray  # own-feature rows, language-dependent columns still 0
    long_rows: dict[int, Block]  # blocks over MAX_FEATURE_CHARS (features per block)
    by_language: dict[str | None, Own] = field(default_factory=dict)
    word_info: np.ndarray | None = None  # per word: word_table()
    headline_list: list[bool] = field(default_factory=list)  # headline, as a list
    thread_marks: np.ndarray | None = None  # threads.block_marks, made when first needed
    section_marks: np.ndarray | None = None  # sections.heading_marks, made when first needed

    def block_words(self, i: int) -> list[str]:
        """The words of block ``i`` (the tokens of its key)."""
        if self.words is not None:
            return self.words[int(self.word_off[i]) : int(self.word_off[i + 1])]
        return tokens(self.keys[i])

    def all_words(self) -> list[str]:
        """The words of all blocks in order (made anew when the page keeps none)."""
        if self.words is not None:
            return self.words
        return [w for k in self.keys for w in tokens(k)]

    def marks(self) -> np.ndarray:
        """The thread marks of the blocks (:func:`threads.block_marks`), made when first
        asked for (a page read in chunks has them already)."""
        if self.thread_marks is None:
            words = self.all_words()
            contents = self.contents
            if not isinstance(contents, list):
                contents = list(contents)
            word_bits = (page_word_info(self) >> THREAD_SHIFT) & WORD_BITS
            self.thread_marks = block_marks(
                contents, words, self.word_off, self.nw, self.has_digit, word_bits
            )
        return self.thread_marks


@dataclass(slots=True)
class Own:
    """The own-feature rows of a page for one language, and the phrase hits in them."""

    rows: np.ndarray | None  # None: only their sums are kept (own_rows with weights)
    kind: list[str | None]
    hit_where: list[str]
    section_marker: np.ndarray
    hard: np.ndarray  # phrase hit within its hard limit: removed outright
    hit: np.ndarray  # any phrase hit
    kind_array: np.ndarray  # kind as an object array
    sums: np.ndarray | None = None  # rows @ the stages' own-feature weights (rules.own_sums)


def read_page(text: str, chunk_chars: int | None = None) -> Page:
    """Blocks (as :func:`segment` cuts them) and their language-independent features;
    read in chunks of about ``chunk_chars`` characters of lines (default
    ``CHUNK_CHARS``; see above)."""
    size = CHUNK_CHARS if chunk_chars is None else chunk_chars
    stripped: list[str] | None = None
    if len(text) <= size or "\r" in text:
        lines, line_starts = split_lines(text)
        stripped = list(map(str.strip, lines))
        stripped_len = np.fromiter(map(len, stripped), dtype=np.int64, count=len(lines))
        del lines
    else:  # large: the lines a piece at a time, not a copy of all of them at once
        line_starts, stripped_len = line_table(text)
    n_lines = len(line_starts)
    nb = stripped_len.nonzero()[0]
    if len(nb) == 0:
        if not text:
            return _page_of(text, [], [], [], [], np.zeros(0, bool), np.zeros(0, bool))
        one = np.zeros(1, dtype=bool)
        return _page_of(text, [0], [len(text)], [1], [""], one, one)
    starts_a = line_starts[nb]
    ends_a = np.empty_like(starts_a)
    ends_a[:-1] = starts_a[1:]
    ends_a[-1] = len(text)
    blank = np.empty(len(nb), dtype=bool)
    blank[:-1] = np.diff(nb) >= 2
    blank[-1] = n_lines - 1 - nb[-1] >= 2
    nbl = nb.tolist()
    contents: list[str] | None = None
    if stripped is not None:
        pick = [stripped[i] for i in nbl] if len(nbl) < 2 else itemgetter(*nbl)(stripped)
        contents = list(pick)
        del stripped, pick  # only the contents are needed now
    lens = stripped_len[nb]
    del stripped_len, line_starts
    starts = starts_a.tolist()
    ends = ends_a.tolist()
    numbers = (nb + 1).tolist()
    lead = np.zeros(len(nb), dtype=bool)
    if nbl[0] > 0:
        starts.insert(0, 0)
        ends.insert(0, starts[1])
        numbers.insert(0, 1)
        if contents is not None:
            contents.insert(0, "")
        lens = np.concatenate(([0], lens))
        lead = np.concatenate(([True], lead))
        blank = np.concatenate(([False], blank))
    lines_of: Sequence[str] = BlockContents(text, starts, ends) if contents is None else contents
    page = _page_in_chunks(starts, ends, numbers, lines_of, lens, lead, blank, size)
    if page.words is None:  # read in chunks (contents emptied): no copy of the lines kept
        page.contents = BlockContents(text, page.starts, page.ends)
    return page


def _page_in_chunks(
    starts: list[int],
    ends: list[int],
    numbers: list[int],
    contents: Sequence[str],
    lens: np.ndarray,
    lead: np.ndarray,
    blank: np.ndarray,
    chunk_chars: int,
) -> Page:
    """:func:`_page_of` the blocks (``lens``: their contents' lengths), in chunks of whole
    blocks of about ``chunk_chars`` characters when their contents hold more, each
    chunk's page copied into the page of all blocks (and dropped) before the next is
    read. Read in chunks, ``contents`` (when a list) is emptied as it is read (the page's
    contents are then read from the text)."""
    n = len(contents)
    total = np.cumsum(lens + 1)
    if n == 0 or int(total[-1]) <= chunk_chars:
        whole = contents if isinstance(contents, list) else list(contents[0:n])
        return _page_of("", starts, ends, numbers, whole, lead, blank)
    # chunk boundaries: after the first block past each multiple of chunk_chars
    cuts = np.searchsorted(total, np.arange(chunk_chars, int(total[-1]), chunk_chars)) + 1
    bounds = [0, *sorted({c for c in cuts.tolist() if 0 < c < n}), n]
    del lens, total, cuts
    arrays: dict[str, np.ndarray] = {}
    keys: list[str] = []
    edge_keys: list[str] = []
    first4: list[str] = []
    # equal prefixes share one string (a block's own 4-character string outweighs its
    # list slot several times; a large page repeats few thousand prefixes)
    prefixes: dict[str, str] = {}
    headline_list: list[bool] = []
    long_rows: dict[int, Block] = {}
    infos: list[np.ndarray] = []
    for a, b in pairwise(bounds):
        part = _page_of(
            "", starts[a:b], ends[a:b], numbers[a:b], list(contents[a:b]), lead[a:b], blank[a:b]
        )
        infos.append(page_word_info(part))
        part.marks()
        if isinstance(contents, list):
            contents[a:b] = [""] * (b - a)  # read: let the lines go (read_page's own list)
        for name in _BLOCK_ARRAYS:
            v = getattr(part, name)
            if name not in arrays:
                arrays[name] = np.empty((n, *v.shape[1:]), dtype=v.dtype)
            arrays[name][a:b] = v
        keys += part.keys
        edge_keys += part.edge_keys
        first4 += map(prefixes.setdefault, part.first4, part.first4)
        headline_list += part.headline_list
        long_rows.update((i + a, row) for i, row in part.long_rows.items())
    first_at: dict[str, int] = {}
    key_ids = np.fromiter(map(first_at.setdefault, keys, count()), dtype=np.int64, count=n)
    del first_at, prefixes
    nw = arrays["nw"]
    word_off = np.zeros(n + 1, dtype=np.int64)
    nw.cumsum(out=word_off[1:])
    # joined one chunk at a time, each let go once copied (not all twice at once)
    info = np.empty(int(word_off[-1]), dtype=np.int64)
    for k, part_info in enumerate(infos):
        info[int(word_off[bounds[k]]) : int(word_off[bounds[k + 1]])] = part_info
        infos[k] = part_info = _NO_WORDS
    del infos
    return Page(
        n=n,
        starts=starts,
        ends=ends,
        line_numbers=numbers,
        lead=lead,
        blank=blank,
        contents=contents,
        keys=keys,
        edge_keys=edge_keys,
        first4=first4,
        words=None,
        word_off=word_off,
        nw=nw,
        key_ids=key_ids,
        clen=arrays["clen"],
        has_digit=arrays["has_digit"],
        ends_sentence=arrays["ends_sentence"],
        is_long=arrays["is_long"],
        headline=arrays["headline"],
        lead_end=arrays["lead_end"],
        has_key=arrays["has_key"],
        unclean=arrays["unclean"],
        base=arrays["base"],
        long_rows=long_rows,
        word_info=info,
        headline_list=headline_list,
        thread_marks=arrays["thread_marks"],
    )


_NO_WORDS = np.zeros(0, dtype=np.int64)

# The per-block arrays of a chunk's page that the page of all blocks takes over.
_BLOCK_ARRAYS = (
    "nw",
    "clen",
    "has_digit",
    "ends_sentence",
    "is_long",
    "headline",
    "lead_end",
    "has_key",
    "unclean",
    "base",
    "thread_marks",
)


def _page_of(
    text: str,
    starts: list[int],
    block_ends: list[int],
    numbers: list[int],
    contents: list[str],
    lead: np.ndarray,
    blank: np.ndarray,
) -> Page:
    n = len(contents)
    # the line samples (the first MAX_FEATURE_CHARS characters) and their characters
    clen = np.fromiter(map(len, contents), dtype=np.int64, count=n)
    long_idx = (clen > MAX_FEATURE_CHARS).nonzero()[0].tolist()
    samples = contents
    if long_idx:
        samples = [c[:MAX_FEATURE_CHARS] for c in contents]
    joined = "\n".join(samples)
    lo, hi = joined_bounds(samples, None if long_idx else clen)
    cps = codepoints(joined)
    f = flags_of(cps)

    joined_keys, keys, key_cps = line_key_codes(
        contents, joined, f, stripped=not long_idx, joined_cps=cps
    )
    edge_keys = list(map(str.strip, keys, repeat(EDGE_CHARS, n)))
    first4 = list(map(itemgetter(slice(0, 4)), edge_keys))
    klo, khi = joined_bounds(keys)
    words, nw, unclean = key_words(keys, joined_keys, (klo, khi), key_cps)
    word_off = np.zeros(n + 1, dtype=np.int64)
    nw.cumsum(out=word_off[1:])
    # each key's id: the index of its first occurrence
    first_at: dict[str, int] = {}
    key_ids = np.fromiter(map(first_at.setdefault, keys, count()), dtype=np.int64, count=n)

    space = (f & F_SPACE) != 0
    alpha = (f & F_ALPHA) != 0
    upper = (f & F_UPPER) != 0
    word_start = ~space
    word_start[1:] &= space[:-1]
    nparts = span_sums(word_start, lo, hi)
    nonspace = (hi - lo) - span_sums(space, lo, hi)
    nonspace[nonspace == 0] = 1
    letters = span_sums(alpha, lo, hi)
    digits = span_sums((f & F_DIGIT) != 0, lo, hi)
    up_change = span_sums((f & F_UPCHANGE) != 0, lo, hi)
    firsts = span_sums(word_start & alpha, lo, hi)
    firsts_upper = span_sums(word_start & alpha & upper, lo, hi)
    parts_upper = span_sums(word_start & upper, lo, hi)
    has_digit = digits > 0
    nonempty = hi > lo
    last_cp = np.zeros(n, dtype=np.uint32)
    last_cp[nonempty] = cps[hi[nonempty] - 1]
    f_last = np.zeros(n, dtype=np.uint32)  # flags of the last character
    f_last[nonempty] = f[hi[nonempty] - 1]
    f_first = np.zeros(n, dtype=np.uint32)
    f_first[nonempty] = f[lo[nonempty]]
    # SENT_END_RE: the last character that is neither whitespace nor a closing quote or
    # bracket ends a sentence (walk back over those, all lines at once).
    trailing = F_RSPACE | F_SENT_TRAIL
    end = hi - 1
    moving = (nonempty & ((f_last & trailing) != 0)).nonzero()[0]
    while len(moving):
        end[moving] -= 1
        e = end[moving]
        ok = e >= lo[moving]
        moving = moving[ok]
        moving = moving[(f[e[ok]] & trailing) != 0]
    ends_s = np.zeros(n, dtype=bool)
    ok = nonempty & (end >= lo)
    ends_s[ok] = (f[end[ok]] & F_SENT_END) != 0
    inner_any = _inner_sentences(cps, f, lo, n)
    # the rarer cues: a cheap necessary condition, then the per-block test
    # SEPARATOR_RE: "/" between whitespace, or [|»›•·] after or before whitespace
    separators = np.zeros(n, dtype=bool)
    sep_at = (f & F_SEPARATOR).nonzero()[0]
    if len(sep_at):
        ws = (f & F_SPACE_NOT_LF) != 0  # line feeds join the lines
        before = np.zeros(len(sep_at), dtype=bool)
        after = np.zeros(len(sep_at), dtype=bool)
        inside = sep_at > 0
        before[inside] = ws[sep_at[inside] - 1]
        inside = sep_at < len(f) - 1
        after[inside] = ws[sep_at[inside] + 1]
        slash = cps[sep_at] == ord("/")
        hit = np.where(slash, before & after, before | after)
        separators[np.searchsorted(lo, sep_at[hit], side="right") - 1] = True
    list_marker = np.zeros(n, dtype=bool)
    maybe_list = (f_first & (F_LIST_MARK | F_RDIGIT)) != 0
    for i in maybe_list.nonzero()[0].tolist():
        list_marker[i] = bool(LIST_MARK_RE.match(contents[i]))
    urlish = np.zeros(n, dtype=bool)
    for i in _needle_lines(joined, URL_NEEDLES, lo):
        urlish[i] = bool(URLISH_RE.search(samples[i]))
    inner = np.where(nw >= 4, inner_any, 0)
    headline_end = (f_last & F_HEADLINE_END) != 0
    headline = (nw >= 2) & (nw <= 16) & (inner_any == 0) & ~headline_end
    lw = log1p_exact(nw)
    x = np.zeros((n, N_OWN), dtype=np.float64)
    x[:, OWN_COLUMN["bias"]] = 1.0
    x[:, OWN_COLUMN["log_words"]] = lw
    x[:, OWN_COLUMN["log_chars"]] = log1p_exact(clen)
    x[:, OWN_COLUMN["ends_sentence"]] = ends_s
    x[:, OWN_COLUMN["ends_colon"]] = last_cp == ord(":")
    x[:, OWN_COLUMN["title_share"]] = firsts_upper / np.maximum(firsts, 1)
    x[:, OWN_COLUMN["digit_share"]] = digits / nonspace
    x[:, OWN_COLUMN["letter_share"]] = letters / nonspace
    x[:, OWN_COLUMN["separators"]] = separators
    x[:, OWN_COLUMN["name_like"]] = (
        (nparts >= 1)
        & (nparts <= 4)
        & (clen <= 40)
        & ~has_digit
        & ~ends_s
        & (parts_upper == nparts)
    )
    x[:, OWN_COLUMN["log_inner_sentences"]] = log1p_exact(inner)
    x[:, OWN_COLUMN["list_marker"]] = list_marker
    x[:, OWN_COLUMN["all_caps"]] = (letters > 3) & (up_change == 0)
    x[:, OWN_COLUMN["urlish"]] = urlish
    x[:, OWN_COLUMN["very_short"]] = nw <= 3
    x[:, OWN_COLUMN["short_unpunctuated"]] = (nw <= 7) & ~ends_s
    x[:, OWN_COLUMN["log_words_sq"]] = lw * lw
    lead_end = (f_last & F_LEAD_END) != 0
    long_rows: dict[int, Block] = {}
    for i in long_idx:
        c = contents[i]
        long_rows[i] = Block(
            start=starts[i],
            end=block_ends[i],
            content=c,
            para=0,
            key=keys[i],
            words=words[word_off[i] : word_off[i + 1]],
        )
        has_digit[i] = any(map(str.isdigit, c))
        ends_s[i] = bool(SENT_END_RE.search(c))
        lead_end[i] = c.endswith((".", "!", "”", '"'))
        headline[i] = headline_like(long_rows[i])
    return Page(
        n=n,
        starts=starts,
        line_numbers=numbers,
        lead=lead,
        blank=blank,
        contents=contents,
        keys=keys,
        edge_keys=edge_keys,
        first4=first4,
        words=words,
        word_off=word_off,
        nw=nw,
        key_ids=key_ids,
        clen=clen,
        has_digit=has_digit,
        ends=block_ends,
        ends_sentence=ends_s,
        is_long=(nw >= LONG_WORDS) & ends_s,
        headline=headline,
        headline_list=headline.tolist(),
        lead_end=lead_end,
        has_key=khi > klo,
        unclean=unclean,
        base=x,
        long_rows=long_rows,
    )


def _needle_lines(joined: str, needles: Iterable[str], lo: np.ndarray) -> list[int]:
    """The lines of ``joined`` (starting at ``lo``) that hold one of ``needles``."""
    found: list[int] = []
    find = joined.find
    for needle in needles:
        p = find(needle)
        while p >= 0:
            found.append(p)
            p = find("\n", p)  # on to the next line
            if p < 0:
                break
            p = find(needle, p)
    if not found:
        return []
    lines: list[int] = np.unique(np.searchsorted(lo, found, side="right") - 1).tolist()
    return lines


def _inner_sentences(cps: np.ndarray, f: np.ndarray, lo: np.ndarray, n: int) -> np.ndarray:
    """Per line of a joined text (lines start at ``lo``): ``len(INNER_SENT_RE.findall)``.

    Each match ends at an upper-case letter after whitespace; walking back over that
    whitespace and then over closing quotes and brackets must reach a sentence end. No
    two matches overlap, so they are counted by their last letters."""
    ws = (f & F_SPACE_NOT_LF) != 0
    q = (((f[1:] & F_UPPER_LETTER) != 0) & ws[:-1]).nonzero()[0] + 1
    p = q - 2
    for skip in (ws, (f & F_INNER_CLOSE) != 0):
        idx = np.arange(len(q))
        while len(idx):
            at = p[idx]
            idx = idx[at >= 0]
            idx = idx[skip[p[idx]]]
            p[idx] -= 1
    ok = p >= 0
    ok[ok] = (f[p[ok]] & F_INNER_END) != 0
    if not ok.any():
        return np.zeros(n, dtype=np.int64)
    out: np.ndarray = np.bincount(np.searchsorted(lo, q[ok], side="right") - 1, minlength=n)
    return out


THREAD_SHIFT = 28
"""Where a word's thread bits (:func:`threads.thread_word_bits`) start in its info: above
the stop-word and phrase bits of :func:`phrases.word_info`, below its ``VOCAB_SHIFT``."""


@cache
def word_table() -> dict[str, int]:
    """Word -> :func:`phrases.word_info`'s bits, and its thread bits from
    ``THREAD_SHIFT`` up (the thread marks read them with no lookup of their own)."""
    table = dict(word_info())
    if THREAD_SHIFT + WORD_BITS.bit_length() > VOCAB_SHIFT or any(
        (v >> THREAD_SHIFT) & WORD_BITS for v in table.values()
    ):
        raise ValueError("word_info's bits overlap the thread bits")
    for w, b in thread_word_bits().items():
        table[w] = table.get(w, 0) | (b << THREAD_SHIFT)
    return table


def page_word_info(page: Page) -> np.ndarray:
    """Each word's bits in :func:`word_table` (0 for a word not in it), made when first
    asked for."""
    info = page.word_info
    if info is None:
        get = word_table().get
        words = page.all_words()
        # (a list first: numpy converts a list of ints faster than an iterator's items)
        info = np.array(list(map(get, words, repeat(0))), dtype=np.int64)
        page.word_info = info
    return info


def page_language(page: Page, active: np.ndarray) -> str | None:
    """``detect_language`` of the words of the ``active`` blocks."""
    info = page_word_info(page)
    if len(active) == page.n:
        sample = info[:3000]
    else:  # the words of the first active blocks that hold 3000 (active is ascending)
        nw = page.nw[active]
        upto = int(np.searchsorted(nw.cumsum(), 3000)) + 1
        blocks, nw = active[:upto], nw[:upto]
        ends = nw.cumsum()
        at = np.arange(int(ends[-1]) if len(ends) else 0) + np.repeat(
            page.word_off[blocks] - (ends - nw), nw
        )
        sample = info[at[:3000]]
    if len(sample) == 0:
        return None
    # stop-word hits per language: the sample's low 7 bits, counted via their histogram
    counts = (np.bincount(sample & 0x7F, minlength=128) @ _LOW_BITS).tolist()
    best, best_hits = None, 0
    for j, lang in enumerate(stopword_sets()):
        hits = counts[j]
        if hits > best_hits:
            best, best_hits = lang, hits
    if best is None or best_hits < 3 or best_hits < 0.05 * len(sample):
        return None
    return best


_LOW_BITS = (np.arange(128)[:, None] >> np.arange(7)) & 1  # value -> its 7 low bits


# The own-feature columns that depend on the language (0 in ``Page.base``); a block over
# MAX_FEATURE_CHARS has all of its row computed per language.
_LANGUAGE_COLUMNS = [
    OWN_COLUMN[k]
    for k in OWN_COLUMN
    if k in ("stop_share", "date_like", "language_known") or k.startswith("hit_")
]


def own_rows(page: Page, language: str | None, weights: np.ndarray | None = None) -> Own:
    """Own-feature rows of all blocks of ``page`` for ``language`` (as ``own_features``
    computes them block by block), cached on the page.

    With ``weights`` (one column per classifier stage), only their weighted sums are kept
    (``Own.sums``, ``rows`` @ ``weights``; ``Own.rows`` is None): the rows are written
    into ``page.base`` itself and its language columns set back after, so that a large
    page holds its own-feature rows once, not once more per language."""
    cached = page.by_language.get(language)
    if cached is not None and (cached.rows is not None or weights is not None):
        return cached
    if weights is None:
        own = _own_of(page, language, page.base.copy())
    else:
        x = page.base
        saved = {i: x[i].copy() for i in page.long_rows}
        try:
            own = _own_of(page, language, x)
            own.sums = x @ weights
        finally:  # base as it was: the language columns 0, the long blocks' rows
            x[:, _LANGUAGE_COLUMNS] = 0.0
            for i, row in saved.items():
                x[i] = row
        own.rows = None
    page.by_language[language] = own
    return own


def _own_of(page: Page, language: str | None, x: np.ndarray) -> Own:
    """:func:`own_rows` for ``language``, its rows written into ``x`` (a copy of the
    page's base rows)."""
    lang = language or "en"
    ph = phrase_data(lang)
    n = page.n
    words = page.words  # None for a page read in chunks: page.block_words(i) then
    nw = page.nw
    word_off = page.word_off
    n_words = int(word_off[-1])
    info = page_word_info(page)
    # Per-word flags are made WORD_STEP words at a time (pages may be large): flags(s,
    # e, which) for the words s to e.
    shipped = lang in LANGUAGES
    if shipped:
        j = LANGUAGES.index(lang)
        shift = 7 + 3 * j
        bit_of = {
            "stop": j,
            "first": shift + FIRST_WORD.bit_length() - 1,
            "single": shift + SINGLE_WORD.bit_length() - 1,
            "second": shift + SECOND_WORD.bit_length() - 1,
        }

        def flags(s: int, e: int, which: str) -> np.ndarray:
            return bit(info[s:e], bit_of[which])

    else:  # not shipped: word by word (a phrase's first, single or second word alike)
        words = all_words = page.all_words()
        sets = {"stop": ph.stopwords}

        def flags(s: int, e: int, which: str) -> np.ndarray:
            member = sets.get(which, ph.contains_by_word).__contains__
            return np.fromiter(map(member, all_words[s:e]), bool, e - s)

    # stop-word share
    stop_n = per_block(partial(flags, which="stop"), word_off)
    x[:, OWN_COLUMN["stop_share"]] = np.where(nw > 0, stop_n / np.maximum(nw, 1), 0.0)
    # date-like: few words, a digit, each word a number, a date word or short
    dw = ph.date_words
    col = OWN_COLUMN["date_like"]
    for i in ((nw >= 1) & (nw <= 9) & page.has_digit).nonzero()[0].tolist():
        ws = page.block_words(i) if words is None else words[word_off[i] : word_off[i + 1]]
        if all(w.isdigit() or w in dw or len(w) <= 2 for w in ws):
            x[i, col] = 1.0
    x[:, OWN_COLUMN["language_known"]] = 1.0 if language else 0.0
    # phrase hits (as spec.own_features finds them): whole line, then line start, then contained
    edge = page.edge_keys
    kind: list[str | None] = [None] * n
    where = [""] * n
    line_hit = np.fromiter(map(ph.line.__contains__, edge), dtype=bool, count=n)
    for i in line_hit.nonzero()[0].tolist():
        kind[i], where[i] = ph.line[edge[i]], "line"
    still = ~line_hit & (nw <= 120)
    start_hits: list[int] = []
    if ph.start_re is not None:
        by4, short = start_prefixes(lang)
        maybe = np.fromiter(map(by4.__contains__, page.first4), dtype=bool, count=n)
        if short:  # lines whose first character starts a short phrase
            heads = map(itemgetter(slice(0, 1)), page.first4)
            maybe |= np.fromiter(map(first_chars(short).__contains__, heads), bool, n)
        match = ph.start_re.match
        first4 = page.first4
        for i in (maybe & still).nonzero()[0].tolist():
            k = edge[i]
            if not (k.startswith(by4.get(first4[i], ())) or (short and k.startswith(short))):
                continue
            m = match(k)
            if m is not None:
                kind[i], where[i] = ph.start_kind[m.group()], "start"
                still[i] = False
                start_hits.append(i)
    by_word = ph.contains_by_word
    if by_word and n_words:
        # Lines whose words hold a phrase's first word followed by its second word (or
        # that :func:`contains_pairs` leaves to the full test): the only ones that can
        # contain a phrase.
        maybe, hit_at = phrase_words(flags, word_off, still, page.unclean)
        if shipped and len(maybe):
            codes = ((info[maybe] >> VOCAB_SHIFT) << 20) | (info[maybe + 1] >> VOCAB_SHIFT)
            known = pair_codes(lang)
            found_at = np.searchsorted(known, codes)
            found_at[found_at == len(known)] = 0
            hit_at = np.union1d(hit_at, maybe[known[found_at] == codes])
        elif len(maybe) and words is not None:  # (words were made above)
            pairs = contains_pairs(lang)[1]
            paired = [j for j in maybe.tolist() if (words[j], words[j + 1]) in pairs]
            hit_at = np.union1d(hit_at, np.array(paired, dtype=np.int64))
        keys = page.keys
        # per line, the words found above: only their phrases can occur in it (in the
        # order of the line's words, as contained_phrase tries them); a block at a time
        # (a page read in chunks re-reads its words, let go once tested)
        hit_block = np.searchsorted(word_off, hit_at, side="right") - 1
        in_block = zip(hit_block.tolist(), hit_at.tolist(), strict=True)
        for i, found_in in groupby(in_block, itemgetter(0)):
            o = int(word_off[i])
            ws = page.block_words(i) if words is None else words[o : int(word_off[i + 1])]
            only = {ws[j - o] for _i, j in found_in}
            found = contained_phrase(keys[i], ws, by_word, only)
            if found is not None:
                kind[i], where[i] = found, "contains"
    section = np.fromiter(map(ph.section.__contains__, edge), dtype=bool, count=n)
    if ph.start_re is not None:  # lines that start with a section phrase (as spec.own_features)
        for i in [i for i in start_hits if kind[i] == "comments"]:
            m = ph.start_re.match(edge[i])
            section[i] |= m is not None and edge_strip(m.group()) in ph.section
    for i, b in page.long_rows.items():
        b.kind, b.hit_where = None, ""
        own_features(b, ph, language)
        x[i] = b.own
        kind[i], where[i] = b.kind, b.hit_where
        section[i] = b.section_marker
    hard = np.zeros(n, dtype=bool)
    hit = np.zeros(n, dtype=bool)
    hits = list(compress(count(), map(is_not, kind, repeat(None))))
    if hits:
        hit_kinds = [kind[i] or "" for i in hits]
        x[hits, [OWN_COLUMN["hit_" + k] for k in hit_kinds]] = 1.0
        hit[hits] = True
        limits = [HARD_LIMITS[k][where[i]] for i, k in zip(hits, hit_kinds, strict=True)]
        hard[hits] = nw[hits] <= limits
    # (fromiter: assigning the list into an empty object array first infers a dtype
    # from its items, several times slower)
    kind_array = np.fromiter(kind, dtype=object, count=n)
    return Own(
        rows=x,
        kind=kind,
        hit_where=where,
        section_marker=section,
        hard=hard,
        hit=hit,
        kind_array=kind_array,
    )
