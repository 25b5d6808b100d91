"""False alarms of find_homoglyphs on legitimate text, per locale (issue 12).

    .venv/bin/python benchmarks/eval_homoglyphs_legit.py [--per-locale N] [--seed S] [--details]
        [--only SUBSTR] [--proposal]

Runs ``textforensics.find_homoglyphs`` over every record of ``legit_corpus.records`` (every
faker locale plus the hand-written code-mixed lines; needs the ``bench`` extra: faker) and
prints one row per slice: records, characters, false alarms by kind, and the rate (records
with at least one finding / records). Every finding on this corpus is a false alarm, whatever
its severity. ``--details`` then prints each false alarm: slice, kind, severity, the word,
and each flagged character with its code point. ``--only SUBSTR`` keeps the slices whose
name contains SUBSTR. ``--proposal`` also counts the false alarms left after the
exemplar rule prototyped in ``exemplar_rule.py`` (column "left") and checks what that rule
would cost in recall: every single-character confusable of an ASCII letter or digit in
"The secu?ity team" and "paypa?" (as tests/test_homoglyphs.py does), the seeds' disguise and
the test suite's confusable examples. The exit status is 0 whatever the count (this
measures, it does not gate).
"""

from __future__ import annotations

import argparse
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from exemplar_rule import clears
from legit_corpus import records

from textforensics import find_homoglyphs
from textforensics.tables import confusable_prototypes
from textforensics.vocab import HOMOGLYPH_KINDS

_ABBREV = {
    "confusable": "conf",
    "mixed_script": "mixed",
    "whole_script": "whole",
    "invisible": "invis",
    "bidi": "bidi",
    "mixed_numbers": "nums",
}


def _short(kind: str) -> str:
    return _ABBREV.get(kind, kind)


_RECALL_EXAMPLES = (
    "Please contact V\u0435rshinin today",
    "Contact \uff50\uff41\uff59\uff50\uff41\uff4c support",
    "Log in to your \u0430\u0440\u0440l\u0435 ID",
    "The secu\u00d7ity team",
    "Visit g\u043e\u043egle.com",
    "Call \u0406nternet support",
    "Sign in to your p\U0001d5baypal account",
)


def recall_check() -> list[str]:
    """Disguises today's detector reports that the proposed rule would clear."""
    lost: list[str] = []
    texts = list(_RECALL_EXAMPLES)
    for ch, proto in sorted(confusable_prototypes().items()):
        if len(proto) == 1 and proto.isascii() and proto.isalnum() and not ch.isascii():
            texts += [f"The secu{ch}ity team", f"paypa{ch}", f"Log in to pa{ch}pal now."]
    for text in texts:
        found = find_homoglyphs(text)
        if found and all(clears(text, f) for f in found):
            lost.append(text)
    return lost


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--per-locale", type=int, default=40, help="faker records per locale")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--details", action="store_true", help="print every false alarm")
    ap.add_argument("--only", default="", help="keep slices whose name contains this")
    ap.add_argument("--proposal", action="store_true", help="measure the exemplar rule too")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    corpus = [(s, t) for s, t in records(args.seed, args.per_locale) if args.only in s]
    t1 = time.perf_counter()
    n_records: Counter[str] = Counter()
    n_chars: Counter[str] = Counter()
    flagged: Counter[str] = Counter()
    by_kind: dict[str, Counter[str]] = defaultdict(Counter)
    left: Counter[str] = Counter()  # records still flagged under the proposed rule
    details: list[str] = []
    for slice_name, text in corpus:
        found = find_homoglyphs(text)
        n_records[slice_name] += 1
        n_chars[slice_name] += len(text)
        if not found:
            continue
        flagged[slice_name] += 1
        if args.proposal and not all(clears(text, f) for f in found):
            left[slice_name] += 1
        for f in found:
            by_kind[slice_name][f.kind] += 1
            chars = ", ".join(
                f"{c.char!r} {c.code_point} {unicodedata.name(c.char, '?')}"
                + (f" -> {c.looks_like!r}" if c.looks_like else "")
                for c in f.chars
            )
            mark = "\tcleared" if args.proposal and clears(text, f) else ""
            details.append(f"{slice_name}\t{f.kind}\t{f.severity}\t{f.word!r}\t{chars}{mark}")
    t2 = time.perf_counter()

    kinds = [k for k in HOMOGLYPH_KINDS if any(c[k] for c in by_kind.values())]
    extra = ["left", "rate left"] if args.proposal else []
    header = ["slice", "records", "chars", *(_short(k) for k in kinds), "rate", *extra]
    rows: list[list[str]] = []
    for name in sorted(n_records):
        rate = flagged[name] / n_records[name]
        rows.append(
            [
                name,
                str(n_records[name]),
                str(n_chars[name]),
                *(str(by_kind[name][k]) for k in kinds),
                f"{rate:.1%}",
                *(
                    [str(left[name]), f"{left[name] / n_records[name]:.1%}"]
                    if args.proposal
                    else []
                ),
            ]
        )
    total_rec, total_flag = sum(n_records.values()), sum(flagged.values())
    rows.append(
        [
            "TOTAL",
            str(total_rec),
            str(sum(n_chars.values())),
            *(str(sum(c[k] for c in by_kind.values())) for k in kinds),
            f"{total_flag / max(total_rec, 1):.1%}",
            *(
                [str(sum(left.values())), f"{sum(left.values()) / max(total_rec, 1):.1%}"]
                if args.proposal
                else []
            ),
        ]
    )
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    clean = sum(1 for name in n_records if not flagged[name])
    print(
        f"\n{len(n_records)} slices, {clean} without a false alarm; "
        f"{total_flag} of {total_rec} records flagged; "
        f"corpus built in {t1 - t0:.1f} s, scanned in {t2 - t1:.2f} s"
    )
    if args.proposal:
        lost = recall_check()
        print(f"proposal: {sum(left.values())} records still flagged; recall lost on {len(lost)}")
        for text in lost:
            print(f"  lost: {text!r}")
    if args.details:
        print("\nslice\tkind\tseverity\tword\tcharacters")
        for line in details:
            print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
