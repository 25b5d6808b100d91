"""Invariant checks shared by the atheris harnesses and the corpus replay test (issue 16).

Every check takes the raw fuzz bytes, so a harness and the replay see exactly the same
input. A check raises :class:`InvariantError` (or lets an unexpected exception escape)
when the library breaks a promise; "no exception" alone is never the test.

Known bugs of issue 16 (joiner runs, ``apply_plan`` with ``start > end``, word-less texts
called identical, a ``list`` raising ``AttributeError``, ``DuplicateIndex.load`` unpickling)
and those the fuzzers found since (an invalid UTF-8 ``pyproject.toml``, fix findings of a
later round that describe the intermediate text) are recognised by
``_known`` and skipped, so that fuzzing goes on past them; set ``TF_FUZZ_STRICT=1`` to make
them fail too. Inputs that trigger them are kept in ``tests/fuzz/known/`` (not replayed):
``python tests/fuzz/fuzz_checks.py --known`` shows which of them still fail.

Only public names are used; modules that are moving into packages (the CLI's file reader)
are looked up under their old and new homes.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import os
import sys
import tempfile
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import regex

import textforensics as tf
from textforensics.cli import main as cli_main
from textforensics.vocab import SEVERITIES, VERDICTS

STRICT = os.environ.get("TF_FUZZ_STRICT") == "1"
FUZZ_DIR = Path(__file__).resolve().parent
CORPUS_DIR = FUZZ_DIR / "corpus"
KNOWN_DIR = FUZZ_DIR / "known"

_WORD_RE = regex.compile(r"[\p{L}\p{N}]")
_EXIT_CODES = frozenset({0, 1, 2})


class InvariantError(AssertionError):
    """A broken invariant (the message says which)."""


class KnownBug(Exception):
    """An input that hits a bug already filed in issue 16 (skipped unless strict)."""


def _check(cond: bool, message: str) -> None:
    if not cond:
        raise InvariantError(message)


def _known(cond: bool, message: str) -> None:
    """A broken invariant that issue 16 already describes."""
    if cond:
        if STRICT:
            raise InvariantError(f"known bug: {message}")
        raise KnownBug(message)


# --- turning bytes into arguments ------------------------------------------------------------


def text_of(data: bytes) -> str:
    """UTF-8 text; lone surrogates (ED A0 80...) are kept, anything else invalid is replaced."""
    try:
        return data.decode("utf-8", "surrogatepass")
    except UnicodeDecodeError:
        return data.decode("utf-8", "replace")


def clean_text_of(data: bytes) -> str:
    """Like :func:`text_of` without lone surrogates (for functions that encode their input)."""
    return data.decode("utf-8", "replace")


def parts_of(data: bytes, limit: int = 16) -> list[str]:
    """Several texts from one input: NUL separates them."""
    return [clean_text_of(p) for p in data.split(b"\x00")[:limit]]


def has_words(text: str) -> bool:
    return bool(_WORD_RE.search(tf.matching_form(text)))


@contextlib.contextmanager
def _tempdir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="tf-fuzz-") as name:
        yield Path(name)


def run_cli(argv: list[str]) -> tuple[int, str, str]:
    """``textforensics.cli.main(argv)`` in process: exit code, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli_main(argv)
        except SystemExit as exc:  # argparse
            code = exc.code if isinstance(exc.code, int) else 2
    _check(code in _EXIT_CODES, f"exit code {code} for {argv}")
    _check("Traceback" not in err.getvalue(), f"traceback printed for {argv}")
    return code, out.getvalue(), err.getvalue()


def _public_module(*names: str) -> Any:
    """The first of ``names`` that imports (the app layer is moving into a package)."""
    for name in names:
        with contextlib.suppress(ImportError):
            return importlib.import_module(name)
    raise ImportError(f"none of {names}")


# --- homoglyphs --------------------------------------------------------------------------------


def _check_findings(text: str, findings: list[tf.HomoglyphFinding]) -> None:
    index = tf.LineIndex(text)
    last = -1
    for f in findings:
        _check(0 <= f.start < f.end <= len(text), f"offsets {f.start}..{f.end} out of range")
        _check(text[f.start : f.end] == f.word, f"text[{f.start}:{f.end}] != word {f.word!r}")
        _check(f.kind in tf.HOMOGLYPH_KINDS, f"unknown kind {f.kind!r}")
        _check(tf.HOMOGLYPH_CODES.get(f.kind) == f.code, f"code {f.code!r} for {f.kind!r}")
        _check(f.severity in SEVERITIES, f"unknown severity {f.severity!r}")
        _check(f.start >= last, "findings not sorted by offset")
        last = f.start
        _check(index.position(f.start) == (f.line, f.column), f"line/column of {f.start}")
        _check(bool(f.chars), f"finding at {f.start} names no character")
        for c in f.chars:
            _check(f.start <= c.offset < f.end, f"char offset {c.offset} outside its word")
            got = text[c.offset : c.offset + len(c.char)]
            _check(got == c.char, f"text[{c.offset}] is {got!r}, not {c.char!r}")
        json.dumps(f.to_dict())


def check_homoglyphs(data: bytes) -> None:
    text = text_of(data)
    findings = tf.find_homoglyphs(text)
    _check_findings(text, findings)
    _check(tf.find_homoglyphs(text) == findings, "find_homoglyphs is not deterministic")
    for kind in {f.kind for f in findings}:
        only = tf.find_homoglyphs(text, kinds=[kind])
        _check(all(f.kind == kind for f in only), f"kinds=[{kind!r}] returned other kinds")


def check_fix(data: bytes) -> None:
    text = text_of(data)
    fix = tf.fix_homoglyphs(text)
    pos = 0
    for step in fix.plan:
        _check(pos <= step.start <= step.end <= len(text), f"step {step.start}..{step.end}")
        _check(text[step.start : step.end] == step.old, f"step old {step.old!r} not in text")
        pos = step.end
    _check(tf.apply_plan(text, fix.plan) == fix.text, "apply_plan(text, plan) != fix.text")
    # Findings of later rounds too describe the original text (corpus/fix/later_round_chars).
    _check_findings(text, list(fix.findings))
    again = tf.fix_homoglyphs(fix.text)
    _known(again.text != fix.text and "\u034f" in text, "joiner run survives one fix")
    _check(again.text == fix.text, "fixing twice changes the text")
    _check(not again.plan, "fixing twice yields a plan")


def check_apply_plan(data: bytes) -> None:
    """Arbitrary plans: apply_plan either raises ValueError or agrees with a reference."""
    head, _, rest = data.partition(b"\x00")
    text = clean_text_of(rest)
    steps = []
    for i in range(0, len(head) - 2, 3):
        start, length, new = head[i] % (len(text) + 2), head[i + 1] % 4, head[i + 2] % 3
        end = start + length - 1  # may be start - 1: a step with start > end
        old = text[start:end] if end >= start else ""
        steps.append(
            tf.FixStep(
                start=start, end=end, old=old, new="xy"[:new], kind="confusable", code="TF101"
            )
        )
    ordered = sorted(steps, key=lambda s: (s.start, s.end))
    valid, pos = True, 0
    for s in ordered:
        if not (pos <= s.start <= s.end <= len(text) and text[s.start : s.end] == s.old):
            valid = False
        pos = max(pos, s.end)
    try:
        got = tf.apply_plan(text, steps)
    except ValueError:
        _check(not valid, "apply_plan rejected a valid plan")
        return
    _known(not valid and any(s.start > s.end for s in steps), "step with start > end accepted")
    _check(valid, "apply_plan accepted an invalid plan")
    want, pos = [], 0
    for s in ordered:
        want += [text[pos : s.start], s.new]
        pos = s.end
    _check(got == "".join(want) + text[pos:], "apply_plan result differs from the reference")


def check_skeleton(data: bytes) -> None:
    text = text_of(data)
    sk = tf.skeleton(text)
    _check(tf.skeleton(sk) == sk, "skeleton is not idempotent")
    _check(tf.skeleton(unicodedata.normalize("NFD", text)) == sk, "skeleton depends on NFD")
    clean = clean_text_of(data)
    mf = tf.matching_form(clean)
    _check(tf.matching_form(mf) == mf, "matching_form is not idempotent")


# --- duplicates --------------------------------------------------------------------------------


def _check_comparison(c: tf.Comparison, a: str, b: str) -> None:
    _check(0.0 <= c.score <= 1.0, f"score {c.score} outside [0, 1]")
    _check(c.verdict in VERDICTS, f"unknown verdict {c.verdict!r}")
    for tier in (c.near_copy, c.rewrite):
        for v in (tier.jaccard, tier.containment_a_in_b, tier.containment_b_in_a):
            _check(0.0 <= v <= 1.0, f"{tier.tier} similarity {v} outside [0, 1]")
    for p in c.evidence:
        _check(0.0 <= p.similarity <= 1.0, f"passage similarity {p.similarity}")
        _check(0 <= p.a.start <= p.a.end <= len(a), f"passage a {p.a.start}..{p.a.end}")
        _check(0 <= p.b.start <= p.b.end <= len(b), f"passage b {p.b.start}..{p.b.end}")
    json.dumps(c.to_dict())


def check_compare(data: bytes) -> None:
    parts = parts_of(data, 2)
    a, b = parts[0], parts[1] if len(parts) > 1 else parts[0][::-1]
    ab = tf.compare(a, b)
    _check_comparison(ab, a, b)
    ba = tf.compare(b, a)
    _check_comparison(ba, b, a)
    _check(abs(ab.score - ba.score) < 1e-9, f"compare not symmetric: {ab.score} vs {ba.score}")
    _check(ab.verdict == ba.verdict, f"verdicts differ by order: {ab.verdict} / {ba.verdict}")
    aa = tf.compare(a, a)
    _check_comparison(aa, a, a)
    if has_words(a):
        _check(aa.verdict == "identical", f"compare(a, a) is {aa.verdict}")
    words = has_words(a) or has_words(b)
    _known(
        ab.verdict == "identical" and not words and a.strip() != b.strip(),
        "word-less texts called identical",
    )


def _check_report(report: tf.DuplicateReport, docs: dict[int, str]) -> None:
    seen: list[Any] = list(report.unique)
    for cluster in report.clusters:
        _check(len(cluster.keys) >= 2, "cluster of fewer than two documents")
        _check(cluster.representative in cluster.keys, "representative outside its cluster")
        seen += cluster.keys
        for pair in cluster.pairs:
            _check(0.0 <= pair.score <= 1.0, f"pair score {pair.score}")
            _check(pair.verdict in VERDICTS, f"pair verdict {pair.verdict!r}")
            _check({pair.a, pair.b} <= set(cluster.keys), "pair outside its cluster")
    _check(sorted(seen) == sorted(docs), "keys not partitioned into clusters and unique")
    _check(report.documents == len(docs), "documents count")
    json.dumps(report.to_dict())


def check_duplicates(data: bytes) -> None:
    docs = dict(enumerate(parts_of(data)))
    report = tf.find_duplicates(docs)
    _check_report(report, docs)
    cluster_of = {k: i for i, c in enumerate(report.clusters) for k in c.keys}
    wordless = [k for k, t in docs.items() if not has_words(t)]
    _known(
        any(k in cluster_of for k in wordless) and len({docs[k] for k in wordless}) > 1,
        "word-less documents clustered",
    )
    by_text: dict[str, list[int]] = {}
    for k, t in docs.items():
        if has_words(t):
            by_text.setdefault(t, []).append(k)
    for keys in by_text.values():
        if len(keys) > 1:
            ids = {cluster_of.get(k) for k in keys}
            _check(len(ids) == 1 and None not in ids, "identical documents not clustered")


def check_index_load(data: bytes) -> None:
    """Bytes on disk through DuplicateIndex.load: an index or an IndexFormatError naming
    the file, nothing else (and nothing unpickled)."""
    with _tempdir() as tmp:
        path = tmp / "index.bin"
        path.write_bytes(data)
        code_pickle = _looks_like_code_pickle(data)
        try:
            index = tf.DuplicateIndex.load(path)
        except tf.IndexFormatError as exc:
            _check(str(path) in str(exc), "the load error does not name the file")
            return
        except Exception as exc:
            _known(True, f"load raised {type(exc).__name__}, not ValueError")
            raise
        # The format is data: a stream that would build objects is never a loadable index.
        _check(not code_pickle, "a pickle stream was accepted as an index")
        _check(len(index) == len(index.keys()), "len(index) != len(keys)")
        for m in index.query("the quick brown fox jumps over the lazy dog"):
            _check(0.0 <= m.score <= 1.0 and m.verdict in VERDICTS, "bad match from loaded index")


def _looks_like_code_pickle(data: bytes) -> bool:
    """Whether unpickling ``data`` would reach an opcode that imports or calls (read with
    ``pickletools.genops`` up to the first malformed opcode, as ``pickle.loads`` would)."""
    import pickletools  # only to recognise a stream, never to load one

    names: set[str] = set()
    with contextlib.suppress(Exception):
        for op, _, _ in pickletools.genops(data):
            names.add(op.name)
    return bool(names & _CODE_OPS)


_CODE_OPS = frozenset({"GLOBAL", "STACK_GLOBAL", "INST", "OBJ", "REDUCE", "NEWOBJ", "NEWOBJ_EX"})


def check_index_roundtrip(data: bytes) -> None:
    """add, save, load, query: the loaded index answers like the original."""
    docs = parts_of(data, 8)
    index = tf.DuplicateIndex()
    for i, t in enumerate(docs):
        index.add(i, t)
    with _tempdir() as tmp:
        index.save(tmp / "i.bin")
        loaded = tf.DuplicateIndex.load(tmp / "i.bin")
    _check(sorted(loaded.keys()) == sorted(index.keys()), "keys lost in save/load")
    for t in docs[:3]:
        before, after = index.query(t), loaded.query(t)
        _check(before == after, "query differs after save/load")
        for m in before:
            _check(0.0 <= m.score <= 1.0 and m.verdict in VERDICTS, "bad index match")


# --- boilerplate -------------------------------------------------------------------------------


def _check_strip(text: str, result: tf.StripResult) -> None:
    pos, kept = 0, []
    for b in result.blocks:
        _check(b.start == pos and b.start < b.end <= len(text), f"block {b.start}..{b.end}")
        _check(0.0 <= b.score <= 1.0, f"block score {b.score}")
        if b.label == "content":
            kept.append(text[b.start : b.end])
        pos = b.end
    _check(pos == len(text), "blocks do not cover the input")
    _check(result.text == "".join(kept), "text != kept blocks")
    removed = [b for b in result.blocks if b.label == "boilerplate"]
    _check(list(result.removed) == removed, "removed != boilerplate blocks")
    # The kept text plus the removed spans rebuild the input.
    rebuilt, cursor, pos = [], 0, 0
    for r in result.removed:
        take = r.start - pos
        rebuilt += [result.text[cursor : cursor + take], text[r.start : r.end]]
        cursor, pos = cursor + take, r.end
    rebuilt.append(result.text[cursor:])
    _check("".join(rebuilt) == text, "kept text plus removed spans do not rebuild the input")
    json.dumps(result.to_dict())


def check_strip(data: bytes) -> None:
    text = clean_text_of(data)
    result = tf.strip_boilerplate(text)
    _check_strip(text, result)
    lazy = tf.strip_boilerplate(text)
    _check(lazy.text == result.text, "strip_boilerplate is not deterministic")


def check_learn(data: bytes) -> None:
    docs = parts_of(data, 8)
    model = tf.learn_boilerplate(docs)
    for t in docs:
        _check_strip(t, tf.strip_boilerplate(t, model=model))


# --- the command line ---------------------------------------------------------------------------


def check_config(data: bytes) -> None:
    """pyproject.toml bytes through ``scan --config``: a result or a one-line error."""
    with _tempdir() as tmp:
        (tmp / "pyproject.toml").write_bytes(data)
        (tmp / "a.txt").write_text("pay\u0440al \u202eabc\n", encoding="utf-8")
        argv = ["scan", "--config", str(tmp / "pyproject.toml"), "--color", "never"]
        try:
            code, _, err = run_cli([*argv, str(tmp / "a.txt")])
        except UnicodeDecodeError:
            # Found by this harness (not yet in issue 16): tomllib decodes the file itself,
            # and load_config catches only TOMLDecodeError and OSError.
            _known(True, "invalid UTF-8 in pyproject.toml: UnicodeDecodeError traceback")
            raise
        if code == 2:
            _check(err.startswith("textforensics: error:"), f"unclear config error: {err!r}")


def check_baseline(data: bytes) -> None:
    """Baseline bytes through ``scan --baseline``; a written baseline accepts its findings."""
    with _tempdir() as tmp:
        target = tmp / "a.txt"
        target.write_text("pay\u0440al \u202eabc\n", encoding="utf-8")
        (tmp / "bl.json").write_bytes(data)
        common = ["scan", "--no-config", "--color", "never", str(target)]
        code, _, err = run_cli([*common, "--baseline", str(tmp / "bl.json")])
        if code == 2:
            _check(err.startswith("textforensics: error:"), f"unclear baseline error: {err!r}")
        target.write_bytes(data)
        code, _, _ = run_cli([*common, "--baseline", str(tmp / "new.json"), "--write-baseline"])
        if code == 0:
            code, _, _ = run_cli([*common, "--baseline", str(tmp / "new.json")])
            _check(code == 0, "findings written to a baseline are reported again")


def _reference_decode(data: bytes) -> str | None:
    boms = (
        (b"\xff\xfe\x00\x00", "utf-32-le"),
        (b"\x00\x00\xfe\xff", "utf-32-be"),
        (b"\xef\xbb\xbf", "utf-8"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
    )
    for bom, codec in boms:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec)
            except UnicodeDecodeError:
                return None
    if b"\x00" in data:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def check_file_reader(data: bytes) -> None:
    """File bytes through the CLI reader: same text as a plain decode, chunks that add up,
    and a JSON scan whose findings point into that text."""
    files = _public_module("textforensics.app.files", "textforensics.files")
    want = _reference_decode(data)
    with _tempdir() as tmp:
        path = tmp / "in.txt"
        path.write_bytes(data)
        try:
            got, _ = files.read_text(str(path))
        except files.InputError as exc:
            _check(want is None or exc.reason == "binary", f"{exc.reason}: {exc.detail}")
            got = None
        if got is not None:
            _check(want is not None and got == want, "read_text differs from a plain decode")
            index = tf.LineIndex(got)
            joined = []
            for chunk in files.iter_chunks(str(path), chunk_chars=7):
                _check(chunk.offset == sum(map(len, joined)), "chunk offset")
                if chunk.offset < len(got):
                    pos = index.position(chunk.offset)
                    _check((chunk.line, chunk.column) == pos, f"chunk line/column {pos}")
                joined.append(chunk.text)
            _check("".join(joined) == got, "chunks do not rebuild the text")
        code, out, _ = run_cli(["scan", "--no-config", "--format", "json", str(path)])
        doc = json.loads(out)
        if got is not None:
            _check(code in (0, 1), f"readable file gave exit {code}")
            for item in doc["findings"]:
                _check(item["line"] >= 1 and item["column"] >= 1, "finding line/column")


# --- argument types -----------------------------------------------------------------------------


def check_types(data: bytes) -> None:
    """A wrong argument type is a TypeError at the door (issue 16: today AttributeError)."""
    choice = data[:1] or b"\x00"
    wrong: Any = [list(clean_text_of(data[1:]) or "x"), data[1:], 42, None][choice[0] % 4]
    calls: list[Callable[[], object]] = [
        lambda: tf.find_homoglyphs(wrong),
        lambda: tf.fix_homoglyphs(wrong),
        lambda: tf.skeleton(wrong),
        lambda: tf.compare(wrong, "text"),
        lambda: tf.strip_boilerplate(wrong),
    ]
    for call in calls:
        try:
            call()
        except TypeError:
            continue
        except Exception as exc:
            _known(True, f"{type(wrong).__name__} argument raised {type(exc).__name__}")
            raise
        _known(True, f"{type(wrong).__name__} argument accepted")


CHECKS: dict[str, Callable[[bytes], None]] = {
    "homoglyphs": check_homoglyphs,
    "fix": check_fix,
    "apply_plan": check_apply_plan,
    "skeleton": check_skeleton,
    "compare": check_compare,
    "duplicates": check_duplicates,
    "index_load": check_index_load,
    "index_roundtrip": check_index_roundtrip,
    "strip": check_strip,
    "learn": check_learn,
    "config": check_config,
    "baseline": check_baseline,
    "file_reader": check_file_reader,
    "types": check_types,
}


def run_one(name: str, data: bytes) -> None:
    """Run check ``name`` on ``data``; a known bug is swallowed (unless strict)."""
    with contextlib.suppress(KnownBug):
        CHECKS[name](data)


def fuzz_main(name: str, max_len: int = 4096) -> None:
    """Entry point of every harness: ``python tests/fuzz/fuzz_<name>.py [libFuzzer flags]``."""
    import atheris

    check = CHECKS[name]

    def one(data: bytes) -> None:
        if len(data) > max_len:
            return
        with contextlib.suppress(KnownBug):
            check(data)

    atheris.Setup(sys.argv, one)
    atheris.Fuzz()


def _report_known() -> int:
    """Replay tests/fuzz/known/<name>/* strictly; print which still fail."""
    still = 0
    for path in sorted(KNOWN_DIR.glob("*/*")):
        try:
            CHECKS[path.parent.name](path.read_bytes())
            status = "passes now (move it to corpus/ as a regression input)"
        except (InvariantError, KnownBug, Exception) as exc:
            status = f"still fails: {type(exc).__name__}: {exc}"[:200]
            still += 1
        print(f"{path.relative_to(FUZZ_DIR)}: {status}")
    return 0 if still == 0 else 1


if __name__ == "__main__":
    if sys.argv[1:] == ["--known"]:
        os.environ["TF_FUZZ_STRICT"] = "1"
        STRICT = True
        sys.exit(_report_known())
    sys.exit(f"usage: {sys.argv[0]} --known")
