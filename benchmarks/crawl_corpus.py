"""A seeded generator of crawl-like corpora with planted, labelled pairs (issue 14).

Not part of the library: a dev-set generator for ``benchmarks/bench_crawl.py``. Every
document is built from real text, the pages of the boilerplate dev set
(``/work/shared/eval/boilerplate/wcxb-dev.jsonl.gz``, read in place, never copied):

- the *pool* is the gold main text of every page, split into paragraphs and sentences;
- *sites* are the dev-set pages' own boilerplate: the lines of ``text`` that are not in
  ``main``, before it (header) and after it (footer). A document on a site carries that
  site's header and footer (templates shared by every document of the site);
- *window* documents (``window_share`` of the corpus) are runs of consecutive pool
  paragraphs of about 4 KB, started in a region of the pool sized so that every pool
  character is covered ``coverage`` times on average: neighbouring windows share long
  passages, as crawled copies of one story do;
- *collage* documents are runs of one to three consecutive sentences drawn from all
  over the pool (quotes and stock sentences recur across unrelated documents);
- *syndicated* paragraphs (one per ~100 documents) are inserted into ``syndicated_share``
  of the documents, each into many unrelated ones;
- *planted* pairs, the ground truth, each a fresh collage source plus a derived copy on
  another site: ``near_copy`` (1-3 % of words edited, one sentence dropped, punctuation
  and case noise), ``excerpt`` (a 600-1,400 character run of a long ~8 KB source, with a
  one-line lead-in), ``rewrite`` (paraphrase with ``change=0.2``) and ``heavy``
  (``change=0.55``; see ``benchmarks/paraphrase.py``). ``planted_share`` of the corpus
  are planted pairs (two documents each), spread evenly over the four classes.

Keys are ``d000000``...; their order is shuffled so planted pairs are not adjacent.
``python benchmarks/crawl_corpus.py --docs 3000`` prints a summary.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from paraphrase import DEV_SET, load_records, paraphrase, sentences

PLANTED_CLASSES = ("near_copy", "excerpt", "rewrite", "heavy")


@dataclass(frozen=True)
class Pool:
    paragraphs: tuple[str, ...]
    sentences: tuple[str, ...]
    sites: tuple[tuple[str, str], ...]  # (header, footer)

    @property
    def chars(self) -> int:
        return sum(len(p) + 2 for p in self.paragraphs)


@dataclass
class Corpus:
    docs: dict[str, str]
    labels: list[tuple[str, str, str]]  # (key_a, key_b, class); b derived from a
    stats: dict[str, float] = field(default_factory=dict)
    syndicated: tuple[str, ...] = ()  # the paragraphs inserted into many documents


def load_pool(path: Path = DEV_SET, *, max_template_lines: int = 12) -> Pool:
    records = load_records(path)
    paragraphs: list[str] = []
    sents: list[str] = []
    sites: list[tuple[str, str]] = []
    for r in records:
        main = str(r.get("main") or "")
        paras = [p.strip() for p in re.split(r"\n\s*\n", main) if len(p.strip()) >= 40]
        paragraphs.extend(paras)
        for p in paras:
            sents.extend(s for s in sentences(p) if len(s) >= 30)
        main_lines = {ln.strip() for ln in main.splitlines() if ln.strip()}
        lines = [ln.strip() for ln in str(r.get("text") or "").splitlines()]
        pos = [i for i, ln in enumerate(lines) if ln in main_lines]
        if not pos:
            continue
        header = [ln for ln in lines[: pos[0]] if ln and len(ln) < 120]
        footer = [ln for ln in lines[pos[-1] + 1 :] if ln and len(ln) < 120]
        header, footer = header[-max_template_lines:], footer[:max_template_lines]
        if header or footer:
            sites.append(("\n".join(header), "\n".join(footer)))
    return Pool(tuple(paragraphs), tuple(sents), tuple(sites))


def _window(pool: Pool, start: int, size: int) -> list[str]:
    out: list[str] = []
    n = 0
    i = start
    while n < size and i < len(pool.paragraphs):
        out.append(pool.paragraphs[i])
        n += len(pool.paragraphs[i]) + 2
        i += 1
    return out


def _collage(pool: Pool, rng: random.Random, size: int) -> list[str]:
    paras: list[str] = []
    cur: list[str] = []
    n = 0
    while n < size:
        i = rng.randrange(len(pool.sentences))
        run = pool.sentences[i : i + rng.randint(1, 3)]
        cur.extend(run)
        n += sum(len(s) + 1 for s in run)
        if len(cur) >= rng.randint(3, 6):
            paras.append(" ".join(cur))
            cur = []
    if cur:
        paras.append(" ".join(cur))
    return paras


def _render(body: list[str], site: tuple[str, str] | None) -> str:
    parts = [site[0]] if site and site[0] else []
    parts.extend(body)
    if site and site[1]:
        parts.append(site[1])
    return "\n\n".join(parts)


def _near_copy(paras: list[str], rng: random.Random) -> list[str]:
    from paraphrase import SYNONYMS

    out = []
    rate = rng.uniform(0.01, 0.03)
    for p in paras:
        sents = sentences(p)
        if len(sents) > 3 and rng.random() < 0.3:
            del sents[rng.randrange(len(sents))]
        ws = " ".join(sents).split(" ")
        for k, w in enumerate(ws):
            if rng.random() < rate:
                subs = SYNONYMS.get(w.lower().strip(".,;:"))
                ws[k] = rng.choice(subs) if subs else ""
        text = " ".join(w for w in ws if w)
        if rng.random() < 0.2:
            text = text.replace(", ", " , ").replace("’", "'")
        out.append(text)
    return out


def generate(
    n_docs: int,
    *,
    seed: int = 0,
    pool: Pool | None = None,
    doc_chars: int = 4000,
    window_share: float = 0.4,
    coverage: float = 3.0,
    syndicated_share: float = 0.15,
    template_share: float = 0.7,
    planted_share: float = 0.2,
) -> Corpus:
    """A corpus of ``n_docs`` documents and its planted labels (see module docstring)."""
    pool = pool or load_pool()
    rng = random.Random(seed)
    n_pairs = int(n_docs * planted_share / 2)
    per_class = max(1, n_pairs // len(PLANTED_CLASSES))
    n_background = max(0, n_docs - 2 * per_class * len(PLANTED_CLASSES))
    n_windows = int(n_background * window_share)

    def size() -> int:
        return int(doc_chars * rng.uniform(0.8, 1.2))

    def site() -> tuple[str, str] | None:
        return rng.choice(pool.sites) if rng.random() < template_share else None

    # Window starts fall in a region of the pool sized for the requested coverage.
    region = min(
        len(pool.paragraphs),
        max(50, int(len(pool.paragraphs) * n_windows * doc_chars / (coverage * pool.chars))),
    )
    region_start = rng.randrange(max(1, len(pool.paragraphs) - region))
    candidates = [p for p in pool.paragraphs if 300 <= len(p) <= 900] or list(pool.paragraphs)
    syndicated = rng.sample(candidates, min(len(candidates), max(10, n_docs // 100)))
    bodies: list[tuple[list[str], tuple[str, str] | None]] = []
    for _ in range(n_windows):
        start = region_start + rng.randrange(region)
        bodies.append((_window(pool, start, size()), site()))
    for _ in range(n_background - n_windows):
        bodies.append((_collage(pool, rng, size()), site()))
    for body, _site in bodies:
        if rng.random() < syndicated_share:
            for _ in range(rng.choice((1, 1, 2))):
                body.insert(rng.randrange(len(body) + 1), rng.choice(syndicated))

    planted: list[tuple[int, int, str]] = []
    for cls in PLANTED_CLASSES:
        for _ in range(per_class):
            src_size = 2 * size() if cls == "excerpt" else size()
            src = _collage(pool, rng, src_size)
            if cls == "near_copy":
                copy = _near_copy(src, rng)
            elif cls == "excerpt":
                flat = "\n\n".join(src)
                length = rng.randint(600, 1400)
                at = rng.randrange(max(1, len(flat) - length))
                # Cut at word boundaries, as a person selecting text would.
                s = flat.find(" ", at) + 1
                e = flat.rfind(" ", s, s + length)
                copy = [rng.choice(pool.sentences), flat[s:e]]
            else:
                change = 0.2 if cls == "rewrite" else 0.55
                text = paraphrase("\n\n".join(src), change=change, seed=rng.randrange(1 << 30))
                copy = text.split("\n\n")
            bodies.append((src, site()))
            bodies.append((copy, site()))
            planted.append((len(bodies) - 2, len(bodies) - 1, cls))

    order = list(range(len(bodies)))
    rng.shuffle(order)
    key_of = {old: f"d{new:06d}" for new, old in enumerate(order)}
    docs = {key_of[i]: _render(b, s) for i, (b, s) in enumerate(bodies)}
    docs = dict(sorted(docs.items()))
    labels = [(key_of[a], key_of[b], cls) for a, b, cls in planted]
    stats = {
        "documents": len(docs),
        "window_docs": n_windows,
        "collage_docs": n_background - n_windows,
        "planted_pairs": len(labels),
        "window_region_paragraphs": region,
        "pool_paragraphs": len(pool.paragraphs),
        "window_coverage": round(
            n_windows * doc_chars / max(1, pool.chars * region / len(pool.paragraphs)), 2
        ),
        "mean_doc_chars": round(sum(map(len, docs.values())) / max(1, len(docs))),
        "syndicated_paragraphs": len(syndicated),
        "sites": len(pool.sites),
    }
    return Corpus(docs, labels, stats, tuple(syndicated))


def prose_docs(n: int, size: int = 4000, pool: Pool | None = None) -> list[str]:
    """``n`` documents of about ``size`` characters, each a run of consecutive pool
    paragraphs that are one line of at least 20 words ending a sentence (articles without
    headings, lists or page furniture: the text the stripper's gate is for)."""
    paras = [
        p
        for p in (pool or load_pool()).paragraphs
        if "\n" not in p and len(p.split()) >= 20 and p.endswith((".", "!", "?", '"', "”"))
    ]
    docs: list[str] = []
    i = 0
    while len(docs) < n and i < len(paras):
        run: list[str] = []
        while sum(map(len, run)) < size and i < len(paras):
            run.append(paras[i])
            i += 1
        docs.append("\n\n".join(run))
    return docs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    t = time.perf_counter()
    pool = load_pool()
    t_pool = time.perf_counter() - t
    corpus = generate(args.docs, seed=args.seed, pool=pool)
    print(
        f"pool: {len(pool.paragraphs)} paragraphs, {len(pool.sentences)} sentences, "
        f"{len(pool.sites)} sites, {pool.chars / 1e6:.1f} M chars ({t_pool:.1f} s)"
    )
    print(f"generated in {time.perf_counter() - t - t_pool:.1f} s: {corpus.stats}")
    for cls in PLANTED_CLASSES:
        a, b, _ = next(x for x in corpus.labels if x[2] == cls)
        print(f"--- {cls}: {a} ({len(corpus.docs[a])} chars) -> {b} ({len(corpus.docs[b])} chars)")
        print(corpus.docs[b][:300].replace("\n", " / "))


if __name__ == "__main__":
    main()
