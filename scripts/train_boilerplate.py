"""Train the block classifier of textforensics.boilerplate (writes data/boilerplate/model.json).

Reads the WCXB dev set (../shared/eval/boilerplate/wcxb-dev.jsonl.gz), labels every block
content / boilerplate by aligning it with the gold main text, and fits three weighted
(tokens per block) L2-regularised logistic regressions with Newton's method: stage 1 on
the block's own features, stage 2 adding stage-1 scores of the neighbourhood and the
main-span features, stage 3 the same on stage-2 scores.

    .venv/bin/python scripts/train_boilerplate.py            # fit on all, write model.json
    .venv/bin/python scripts/train_boilerplate.py --folds 2  # site-disjoint 2-fold check

The features are general (no site or phrase-specific weights beyond the per-kind phrase
hit flags); the 2-fold check trains on one half of the sites and scores the other.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from boilerplate_scoring import load_records, split_folds  # noqa: E402

from textforensics import boilerplate as bp  # noqa: E402
from textforensics.text import casefold, tokens, unify_punctuation  # noqa: E402

MODEL_PATH = ROOT / "src/textforensics/data/boilerplate/model.json"


def _gold_string(main: str) -> str:
    return " " + " ".join(tokens(unify_punctuation(casefold(main)))) + " "


def _trigrams(toks: list[str]) -> set[tuple[str, ...]]:
    return {tuple(toks[i : i + 3]) for i in range(len(toks) - 2)}


def label_blocks(blocks: list[Any], main: str) -> list[float]:
    """1 when the block's token sequence occurs in the gold (in order, near the cursor for
    short blocks). A block of 5+ tokens found nowhere as a whole gets the share of its
    token trigrams that occur in the gold when that is at least a half (the annotator
    dropped or reworded a piece of it), else 0."""
    gold = _gold_string(main)
    gold_tri = _trigrams(gold.split())
    cursor = 0
    labels: list[float] = []
    for b in blocks:
        toks = tokens(unify_punctuation(casefold(b.content)))
        if not toks:
            labels.append(0)
            continue
        needle = " " + " ".join(toks) + " "
        if len(toks) >= 5:
            pos = gold.find(needle, cursor)
            if pos < 0:
                if gold.find(needle) >= 0:
                    labels.append(1)
                    continue
                tri = _trigrams(toks)
                share = len(tri & gold_tri) / len(tri) if tri else 0.0
                labels.append(share if share >= 0.5 else 0)
                continue
            labels.append(1)
            cursor = pos + len(needle) - 1
        else:
            pos = gold.find(needle, cursor, cursor + 400 + len(needle))
            if pos >= 0:
                labels.append(1)
                cursor = pos + len(needle) - 1
            else:
                labels.append(0)
    return labels


def doc_blocks(text: str) -> tuple[list[Any], np.ndarray, str | None]:
    """Blocks of ``text`` and their stage-1 feature rows, and the detected language."""
    blocks = list(bp._make_blocks(text, bp._segment(text)))
    # the features as strip_boilerplate's first pass computes them
    page = bp._page(text)
    active = np.arange(page.n)
    language = bp._page_language(page, active)
    own = bp._own_rows(page, language)
    x1, _section_at = bp._features(page, active, own, bp._paras(page, active))
    assert page.n == len(blocks)
    for b, long_ in zip(blocks, page.is_long.tolist(), strict=True):
        b.is_long = long_  # used by the span features of stages 2 and 3
    return blocks, x1, language


def fit(x: np.ndarray, y: np.ndarray, w: np.ndarray, l2: float = 1.0) -> dict[str, Any]:
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    mean[0], scale[0] = 0.0, 1.0
    scale[scale < 1e-9] = 1.0
    z = (x - mean) / scale
    z[:, 0] = 1.0
    beta = np.zeros(z.shape[1])
    reg = np.full(z.shape[1], l2)
    reg[0] = 0.0
    wn = w / w.mean()
    for _ in range(30):
        p = 1.0 / (1.0 + np.exp(-(z @ beta)))
        grad = z.T @ (wn * (p - y)) + reg * beta
        h = (z * (wn * p * (1 - p))[:, None]).T @ z + np.diag(reg + 1e-9)
        step = np.linalg.solve(h, grad)
        beta -= step
        if np.abs(step).max() < 1e-7:
            break
    return {
        "mean": [float(v) for v in mean],
        "scale": [float(v) for v in scale],
        "weights": [float(v) for v in beta],
    }


def context(blocks: list[Any], x1: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Stage-2/3 rows of one page's blocks from their stage-1 rows and scores ``p``."""
    return bp._context_features(
        np.array([b.para for b in blocks], dtype=np.int64),
        x1,
        p,
        nw=np.array([len(b.words) for b in blocks], dtype=np.float64),
        is_long=np.array([b.is_long for b in blocks], dtype=bool),
    )


def train(records: list[dict[str, Any]]) -> dict[str, Any]:
    docs = []
    for r in records:
        blocks, x1_doc, _lang = doc_blocks(r["text"])
        mask = [bool(b.content) for b in blocks]
        blocks = [b for b in blocks if b.content]
        if not blocks:
            continue
        docs.append((blocks, label_blocks(blocks, r["main"]), x1_doc[np.array(mask)]))
    x1 = np.concatenate([x for _, _, x in docs])
    y = np.array([lab for _, labs, _ in docs for lab in labs], dtype=float)
    w = np.array([len(b.words) + 1.0 for bl, _, _ in docs for b in bl])
    stage1 = fit(x1, y, w)
    rows = []
    for bl, _, x in docs:
        p1 = bp._scores(x, stage1)
        rows.append(context(bl, x, p1))
    x2 = np.concatenate(rows)
    stage2 = fit(x2, y, w)
    rows = []
    start = 0
    for bl, _, x in docs:
        p2 = bp._scores(x2[start : start + len(bl)], stage2)
        start += len(bl)
        rows.append(context(bl, x, p2))
    stage3 = fit(np.concatenate(rows), y, w)
    return {
        "format": "textforensics.boilerplate-classifier/1",
        "features_stage1": list(bp.FEATURES_1),
        "features_stage2": list(bp.FEATURES_1 + bp.FEATURES_2_EXTRA),
        "stage1": stage1,
        "stage2": stage2,
        "stage3": stage3,
        "threshold": 0.5,
        "trained_on": f"WCXB dev ({len(records)} pages), token-weighted blocks",
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--folds", type=int, default=0)
    ap.add_argument("--threshold", type=float, default=None)
    args = ap.parse_args()
    records = load_records()
    if args.folds:
        from boilerplate_scoring import HEADER, score

        folds = list(split_folds(records, args.folds))
        print(HEADER)
        for i, test in enumerate(folds):
            train_recs = [r for j, f in enumerate(folds) if j != i for r in f]
            clf = train(train_recs)
            # the threshold given, else the shipped model's
            clf["threshold"] = (
                args.threshold if args.threshold is not None else bp._classifier()["threshold"]
            )
            bp._classifier.cache_clear()
            orig = bp._classifier
            bp._classifier = lambda clf=clf: clf  # type: ignore[assignment]
            bp._stage_arrays.cache_clear()  # else fold 1 would score with fold 0's weights
            try:
                outs = [bp.strip_boilerplate(r["text"]).text for r in test]
                print(score(f"held-out fold {i}", outs, test).row())
                outs = [bp.strip_boilerplate(r["text"]).text for r in train_recs[:400]]
                print(score(f"train fold {i} (400)", outs, train_recs[:400]).row())
            finally:
                bp._classifier = orig  # type: ignore[assignment]
                bp._stage_arrays.cache_clear()
        return
    clf = train(records)
    if args.threshold is not None:
        clf["threshold"] = args.threshold
    old = json.loads(MODEL_PATH.read_text()) if MODEL_PATH.exists() else {}
    if args.threshold is None and "threshold" in old:
        clf["threshold"] = old["threshold"]
    for key in ("section_threshold", "threshold_note"):
        if key in old:
            clf[key] = old[key]
    MODEL_PATH.write_text(json.dumps(clf, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {MODEL_PATH}")


if __name__ == "__main__":
    main()
