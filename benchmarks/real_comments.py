"""Real reader-comment threads: comment-word leakage of the stripper on threads people wrote.

    .venv/bin/python benchmarks/real_comments.py --corrected DIR [--half 0|1] [--peers]
        [--placement bare|in_page] [--write PATH] [--worst 20]

The generated comment dev set (``comment_devset.py``) renders threads from templates; this set
takes the threads from real pages. ``DIR`` is the ``Corrected`` folder of the Dragnet data
(Moz, 2012; AGPLv3, so it is read from where the user unpacked it and never copied here)::

    git clone https://github.com/seomoz/dragnet_data && cd dragnet_data
    tar xzf dragnet_Corrected.tar.gz          # -> Corrected/, 1,381 files

In each ``X.html.corrected.txt`` an annotator pasted a page's main text and, after a line
``!@#$%^&*()  COMMENTS`` (typed by hand: a few files vary it), the page's reader comments as
they read on the page: author and date lines, the comments, "Posted by: ..." trailers. 414
files have both an article and a thread. Each becomes two pages:

- ``bare``: the Dragnet article, a blank line, the thread;
- ``in_page``: a WCXB dev-set article page (chosen by the file's hash) with the thread spliced
  in right after its article's last paragraph, as ``comment_devset.py`` splices, so that the
  page's own chrome (navigation, footer) surrounds it.

Neither page has what the annotators left out: "Reply" links, vote counts, "N comments"
headings. A thread here is therefore harder than the same thread on its page: it must be
recognised from its authors, dates and the shape of its posts alone.

Printed for textforensics (``--peers``: also jusText, boilerpy3 and trafilatura, scored by
lines as ``eval_comments.py`` scores them): comment-word leakage (the share of the thread's
``\\w+`` tokens that no removed span covers), article tokens kept (``bare``: the Dragnet
article's tokens not removed; ``in_page``: token recall of the gold main), and the share of
threads kept whole (>= 90 % of their words), per thread shape (the header or trailer the
thread's posts carry, see ``SHAPES``), per half and overall. ``--half`` keeps one half of the
files (by CRC-32 of the file name): half 0 to tune rules on, half 1 to check them.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from boilerplate_scoring import DEV_SET, load_records
from comment_devset import eligible, splice_point
from eval_comments import score_page

from textforensics import strip_boilerplate

MARKER = re.compile(r"^[!@#$%^&*() ]{6,}COMMENTS[ \t]*$", re.MULTILINE)

_DATE = (
    r"(?:\d{1,2}(?:st|nd|rd|th)?[ .]+(?:of )?[A-Z][a-z]+\.?,?[ ]+\d{4}"
    r"|[A-Z][a-z]+\.?[ ]+\d{1,2}(?:st|nd|rd|th)?,?[ ]+\d{4}"
    r"|\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}"
    r"|(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,? [A-Z][a-z]+\.? \d{1,2}\b"
    r"|\d+ (?:second|minute|hour|day|week|month|year)s? ago)"
)
# The shape of a thread: what its posts' header or trailer lines look like. A thread takes
# the shape most of its lines match (in this order when two tie); "other" when none does.
SHAPES: dict[str, re.Pattern[str]] = {
    "says": re.compile(r"^.{1,80}?\s(?:says|wrote|writes)\s*:?\s*$", re.IGNORECASE),
    "said": re.compile(r"^.{1,80}?\ssaid\s*[,.:]*\s*(?:\.\.\.|…)?\s*$", re.IGNORECASE),
    "posted_by": re.compile(r"^(?:posted|written|submitted)\s+by\b", re.IGNORECASE),
    "by_on_date": re.compile(r"^(?:by|from|—|-|–)\s+.{1,60}\s(?:on|at|\|)\s+.{0,30}\d", re.I),
    "name_date": re.compile(rf"^.{{1,60}}?\s(?:(?:on|at|\||-|–|—|•|,)\s+)?.{{0,12}}{_DATE}", re.I),
    "date_line": re.compile(rf"^\W{{0,3}}{_DATE}(?:,? (?:at )?\d{{1,2}}:\d\d.*)?\W{{0,3}}$"),
    "name_colon": re.compile(r"^[^\s:]{1,30}(?: [^\s:]{1,30}){0,3}\s*:\s*$"),
}


@dataclass(frozen=True)
class Thread:
    name: str
    article: str
    thread: str
    shape: str
    half: int


def read_file(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def tidy(block: str) -> str:
    """Each line without its indentation and trailing blanks; runs of blank lines as one."""
    lines = [ln.strip() for ln in block.splitlines()]
    out: list[str] = []
    for ln in lines:
        if ln or (out and out[-1]):
            out.append(ln)
    return "\n".join(out).strip()


def shape_of(thread: str) -> str:
    counts: Counter[str] = Counter()
    for ln in thread.splitlines():
        for name, pat in SHAPES.items():
            if ln and pat.search(ln):
                counts[name] += 1
                break
    if not counts:
        return "other"
    best = max(counts.values())
    if best < 2:
        return "other"
    return next(name for name in SHAPES if counts[name] == best)


def threads(corrected: Path) -> Iterator[Thread]:
    for path in sorted(corrected.glob("*.corrected.txt")):
        text = read_file(path)
        m = MARKER.search(text)
        if not m:
            continue
        article, thread = tidy(text[: m.start()]), tidy(text[m.end() :])
        if not article or not thread:
            continue
        name = path.name.split(".")[0]
        yield Thread(name, article, thread, shape_of(thread), zlib.crc32(name.encode()) % 2)


def records(corrected: Path, placement: str, dev_set: Path | str = DEV_SET) -> list[dict[str, Any]]:
    pages = [r for r in load_records(dev_set) if eligible(r)] if placement == "in_page" else []
    out = []
    for t in threads(corrected):
        if placement == "bare":
            text = t.article + "\n\n" + t.thread + "\n"
            start, main = len(t.article) + 2, t.article
        else:
            rec = pages[zlib.crc32(t.name.encode()) % len(pages)]
            at, _ = splice_point(rec)
            text = rec["text"][:at] + "\n\n" + t.thread + "\n" + rec["text"][at:]
            start, main = at + 2, rec["main"]
        out.append(
            {
                "id": t.name,
                "shape": t.shape,
                "half": t.half,
                "placement": placement,
                "text": text,
                "main": main,
                "comment_text": t.thread,
                "comment_start": start,
                "comment_end": start + len(t.thread),
            }
        )
    return out


@dataclass
class Score:
    thread_tokens: int = 0
    leaked: int = 0
    main_tokens: int = 0
    recalled: int = 0
    pages: int = 0
    kept_whole: int = 0

    def add(self, other: Score) -> None:
        for k in vars(self):
            setattr(self, k, getattr(self, k) + getattr(other, k))


def uncovered(text: str, start: int, end: int, removed: list[tuple[int, int]]) -> tuple[int, int]:
    """Tokens of ``text[start:end]`` and those that no removed span covers (by their start)."""
    spans = sorted(removed)
    total = left = 0
    j = 0
    for m in re.finditer(r"\w+", text[start:end]):
        pos = start + m.start()
        while j < len(spans) and spans[j][1] <= pos:
            j += 1
        total += 1
        left += not (j < len(spans) and spans[j][0] <= pos)
    return total, left


def score_ours(rec: dict[str, Any]) -> Score:
    res = strip_boilerplate(rec["text"])
    removed = [(r.start, r.end) for r in res.removed]
    total, left = uncovered(rec["text"], rec["comment_start"], rec["comment_end"], removed)
    if rec["placement"] == "bare":
        main_total, main_kept = uncovered(rec["text"], 0, rec["comment_start"], removed)
    else:
        # Recall of the gold main with the surviving thread lines taken out, as the peers'.
        page = score_page({**rec, "without": []}, res.text)
        main_total, main_kept = page.main_tokens, page.recalled
    return Score(total, left, main_total, main_kept, 1, int(left >= 0.9 * total))


def score_peer(fn: Callable[[str], str], rec: dict[str, Any]) -> Score:
    ps = score_page({**rec, "without": []}, fn(rec["text"]))
    return Score(
        ps.comment_tokens,
        ps.leaked_tokens,
        ps.main_tokens,
        ps.recalled,
        1,
        int(ps.leaked_tokens >= 0.9 * ps.comment_tokens),
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--corrected", type=Path, required=True, help="Dragnet's Corrected folder")
    ap.add_argument("--half", type=int, choices=(0, 1))
    ap.add_argument("--placement", choices=("bare", "in_page"), default="bare")
    ap.add_argument("--peers", action="store_true", help="also jusText, boilerpy3, trafilatura")
    ap.add_argument("--dev-set", type=Path, default=DEV_SET)
    ap.add_argument("--write", type=Path, help="store the pages as JSON lines (.gz: gzip)")
    ap.add_argument("--worst", type=int, default=15, help="list the N leakiest threads")
    args = ap.parse_args()
    recs = records(args.corrected, args.placement, args.dev_set)
    if args.half is not None:
        recs = [r for r in recs if r["half"] == args.half]
    if args.write:
        opener: Any = gzip.open if args.write.suffix == ".gz" else open
        with opener(args.write, "wt", encoding="utf-8") as f:
            for r in recs:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
    systems: dict[str, Callable[[dict[str, Any]], Score]] = {"textforensics": score_ours}
    if args.peers:
        from eval_boilerplate import make_peers

        for name, fn in make_peers().items():
            systems[name] = lambda rec, fn=fn: score_peer(fn, rec)
    by: dict[str, dict[str, Score]] = {s: defaultdict(Score) for s in systems}
    ours: list[tuple[float, int, str, str]] = []
    for rec in recs:
        for name, fn in systems.items():
            sc = fn(rec)
            for group in (f"shape {rec['shape']}", f"half {rec['half']}", "overall"):
                by[name][group].add(sc)
            if name == "textforensics":
                ours.append((sc.leaked / max(1, sc.thread_tokens), sc.leaked, rec["id"],
                             rec["shape"]))  # fmt: skip
    groups = sorted(by["textforensics"], key=lambda g: (g == "overall", g))
    print(f"real comment threads (Dragnet), placement {args.placement}: {len(recs)} pages")
    print(f"{'':<22}{'pages':>6}" + "".join(f"{s[:16]:>18}" for s in systems))
    for g in groups:
        cells = "".join(
            f"{by[s][g].leaked / max(1, by[s][g].thread_tokens):9.1%}"
            f"{by[s][g].recalled / max(1, by[s][g].main_tokens):9.3f}"
            for s in systems
        )
        print(f"{g:<22}{by['textforensics'][g].pages:>6}{cells}")
    print("(per system: comment-word leakage, article tokens kept)")
    a = by["textforensics"]["overall"]
    print(f"textforensics keeps {a.kept_whole} of {a.pages} threads whole (>= 90 % of the words)")
    print(f"\nleakiest threads (textforensics, by words leaked; top {args.worst}):")
    for frac, n, name, shape in sorted(ours, key=lambda t: -t[1])[: args.worst]:
        print(f"  {name:<8} {shape:<12} {frac:6.1%} {n:>7} words")


if __name__ == "__main__":
    main()
