"""``textforensics report``: one self-contained HTML file to look at.

Each file is shown with its homoglyph and hidden-character findings highlighted (a hover
gives the explanation, the code points and the fix), its boilerplate struck through and
labelled by kind, and the duplicate clusters with their aligned passages side by side.

The page has no external asset (CSS and script inline, no network) and stays usable on
thousands of files: an index table links to one collapsed section per file, and a file's
body is kept as JSON in a ``<script type="application/json">`` and turned into elements
only when its section is opened, so the browser lays out only what a person looks at.

Everything from the files reaches the page either through :func:`html.escape` or as JSON
whose ``<``, ``>`` and ``&`` are written as ``\\u`` escapes, and the script builds the
body with ``textContent``; a file holding ``</script>`` or markup cannot break out.
"""

from __future__ import annotations

import bisect
import html
import itertools
import json
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from ..boilerplate import strip_boilerplate
from ..duplicates import compare, find_duplicates
from ..homoglyphs import find_homoglyphs, fix_homoglyphs
from ..results import AlignedPassage, FixStep, HomoglyphFinding, JSONValue, TextBlock
from ..storage import atomic_write
from ..vocab import FIXABLE_KINDS, severity_rank
from .config import Config

__all__ = ["FileReport", "PairReport", "Report", "analyze", "render_html", "write_report"]

HIDDEN_KINDS = frozenset({"invisible", "bidi"})
"""Finding kinds whose characters are not drawn by a browser (or reorder the line): the
report shows them as a visible ``<U+XXXX>`` badge instead of the raw character."""

MAX_PASSAGES = 10
"""Aligned passages shown per duplicate pair (as ``compare`` in the terminal)."""


@dataclass(frozen=True, slots=True)
class FileReport:
    """What the report shows of one file."""

    path: str
    text: str
    findings: tuple[HomoglyphFinding, ...]
    plan: tuple[FixStep, ...]
    blocks: tuple[TextBlock, ...]

    @property
    def removed(self) -> tuple[TextBlock, ...]:
        return tuple(b for b in self.blocks if b.removed)

    @property
    def hidden(self) -> int:
        return sum(f.kind in HIDDEN_KINDS for f in self.findings)

    @property
    def homoglyphs(self) -> int:
        return len(self.findings) - self.hidden


@dataclass(frozen=True, slots=True)
class PairReport:
    """One reported pair of a duplicate cluster and its aligned passages."""

    a: str
    b: str
    verdict: str
    score: float
    evidence: tuple[AlignedPassage, ...]


@dataclass(frozen=True, slots=True)
class Report:
    """Everything the HTML page shows: files in order, clusters as lists of pairs."""

    files: tuple[FileReport, ...]
    clusters: tuple[tuple[PairReport, ...], ...]


def _keep(finding: HomoglyphFinding, cfg: Config) -> bool:
    if cfg.ignores(finding.kind, finding.code):
        return False
    return severity_rank(finding.severity) >= severity_rank(cfg.min_severity)


def analyze(
    docs: Mapping[str, str],
    cfg: Config | None = None,
    *,
    progress: Callable[[str, int, int], None] | None = None,
) -> Report:
    """Run the detectors on ``docs`` (path -> text, in display order) for the report."""
    cfg = cfg or Config()
    files = []
    for n, (path, text) in enumerate(docs.items(), 1):
        findings = tuple(f for f in find_homoglyphs(text) if _keep(f, cfg))
        plan: tuple[FixStep, ...] = ()
        if any(f.kind in FIXABLE_KINDS for f in findings):
            plan = tuple(s for s in fix_homoglyphs(text).plan if not cfg.ignores(s.kind, s.code))
        blocks = strip_boilerplate(text).blocks
        files.append(FileReport(path, text, findings, plan, blocks))
        if progress:
            progress("analyzing", n, len(docs))
    clusters: list[tuple[PairReport, ...]] = []
    nonempty = {k: v for k, v in docs.items() if v.strip()}
    if len(nonempty) > 1:
        for cluster in find_duplicates(nonempty).clusters:
            pairs = []
            for p in cluster.pairs:
                if p.verdict not in cfg.dupes_verdicts or p.score < cfg.dupes_min_score:
                    continue
                a, b = str(p.a), str(p.b)
                evidence = compare(docs[a], docs[b]).evidence
                pairs.append(PairReport(a, b, str(p.verdict), float(p.score), evidence))
            if pairs:
                clusters.append(tuple(pairs))
    return Report(tuple(files), tuple(clusters))


# --- the page ------------------------------------------------------------------------------


def _script_json(value: JSONValue) -> str:
    """JSON safe inside ``<script>``: no ``<``, ``>`` or ``&`` survives literally."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _fix_text(finding: HomoglyphFinding, plan: Sequence[FixStep], starts: Sequence[int]) -> str:
    # The plan is in text order: its steps inside the finding are one slice of it.
    lo = bisect.bisect_left(starts, finding.start)
    hi = bisect.bisect_left(starts, finding.end, lo)
    steps = plan[lo:hi]
    if steps:
        parts = []
        for s in steps:
            old = " ".join(f"U+{ord(c):04X}" for c in s.old)
            parts.append(f"replace {old} with {s.new!r}" if s.new else f"remove {old}")
        return "fix: " + "; ".join(parts)
    if finding.suggestion:
        return f"suggestion: {finding.suggestion!r}"
    return "no automatic fix (review by hand)"


def _tip(finding: HomoglyphFinding, plan: Sequence[FixStep], starts: Sequence[int]) -> str:
    lines = [f"{finding.code} {finding.kind} ({finding.severity})", finding.message]
    for c in finding.chars:
        looks = f", looks like {c.looks_like!r}" if c.looks_like else ""
        lines.append(f"{c.code_point} {c.name} ({c.script}){looks}")
    lines.append(_fix_text(finding, plan, starts))
    return "\n".join(lines)


_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _display(piece: str, hidden: bool) -> str:
    # Bidi controls are never drawn raw, found or not: they would reorder the page itself.
    return "".join(
        f"<U+{ord(c):04X}>"
        if c in _BIDI
        or (hidden and unicodedata.category(c) in ("Cf", "Mn", "Zs", "Cc") and c not in "\n\t ")
        else c
        for c in piece
    )


def file_body(report: FileReport) -> dict[str, JSONValue]:
    """The JSON the page renders a file's section from.

    ``blocks``: ``[kind_or_null, reason, items]`` in text order, ``kind`` set for a
    removed block. An item is a plain string, or ``[tip_index, pieces]`` for one
    highlighted finding, its ``pieces`` being ``[text, flags]`` (``c`` in flags for a
    character at fault, ``h`` for a hidden one shown as a ``<U+XXXX>`` badge).
    ``tips``: the hover texts, one per distinct set of findings covering a highlighted
    run (two findings on one word, say ``mixed_script`` and ``combining_mark``, share one
    tip holding both); ``shows``: the finding indices of each tip, so every finding is
    reachable from some highlight.
    """
    text = report.text
    plan = sorted(report.plan, key=lambda s: s.start)
    starts = [s.start for s in plan]
    combos: dict[tuple[int, ...], int] = {}
    cuts = {0, len(text)}
    faults: set[int] = set()
    for f in report.findings:
        cuts.update((f.start, f.end))
        for c in f.chars:
            cuts.update((c.offset, c.offset + len(c.char)))
            faults.update(range(c.offset, c.offset + len(c.char)))
    blocks = report.blocks or (
        TextBlock(
            start=0,
            end=len(text),
            line=1,
            column=1,
            kind="content",
            severity="info",
            message="",
            label="content",
            score=1.0,
        ),
    )
    for b in blocks:
        cuts.update((b.start, b.end))
    order = sorted(cuts)
    findings = sorted(enumerate(report.findings), key=lambda x: (x[1].start, -x[1].end))
    out: list[JSONValue] = []
    bi = 0
    items: list[JSONValue] = []
    mark: list[JSONValue] | None = None  # the pieces of the finding being highlighted
    mark_tip = -1
    # A sweep over the cuts: `active` holds the findings that started and have not ended,
    # in (start, -end) order, so a file with thousands of findings stays linear.
    fi = 0
    active: list[tuple[int, HomoglyphFinding]] = []
    for lo, hi in itertools.pairwise(order):
        while bi < len(blocks) and blocks[bi].end <= lo:
            bi += 1
        while fi < len(findings) and findings[fi][1].start <= lo:
            active.append(findings[fi])
            fi += 1
        if active:
            active = [(i, f) for i, f in active if f.end > lo]
        covering = tuple(sorted(i for i, _ in active))
        tip = combos.setdefault(covering, len(combos)) if covering else -1
        fault = lo in faults
        hidden = fault and any(report.findings[i].kind in HIDDEN_KINDS for i in covering)
        piece = _display(text[lo:hi], hidden)
        if tip < 0:
            items.append(piece)
            mark = None
        else:
            if mark is None or tip != mark_tip:
                mark, mark_tip = [], tip
                items.append([tip, mark])
            mark.append([piece, ("c" if fault else "") + ("h" if hidden else "")])
        if bi < len(blocks) and hi >= blocks[bi].end:
            blk = blocks[bi]
            out.append(
                [blk.kind if blk.removed else None, blk.message if blk.removed else "", items]
            )
            items, mark = [], None
    if items:
        out.append([None, "", items])
    found = report.findings
    tips: list[JSONValue] = [
        "\n\n".join(_tip(found[i], plan, starts) for i in combo) for combo in combos
    ]
    shows: list[JSONValue] = [list(combo) for combo in combos]
    return {"blocks": out, "tips": tips, "shows": shows}


_CSS = """
:root{--bg:#fff;--fg:#1b1f24;--mute:#59636e;--line:#d1d9e0;--hg:#ffe08a;--hgc:#d1242f;
--bp:#f6f8fa;--bpfg:#8c959f;--ok:#1a7f37;--warn:#9a6700;--err:#d1242f}
*{box-sizing:border-box}
body{font:14px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);
background:var(--bg);margin:0;padding:0 24px 48px}
h1{font-size:22px;margin:20px 0 4px}h2{font-size:18px;margin:28px 0 8px;
border-bottom:1px solid var(--line);padding-bottom:4px}
.meta{color:var(--mute);margin:0 0 12px}
table.index{border-collapse:collapse;width:100%;font-size:13px}
table.index th,table.index td{border-bottom:1px solid var(--line);padding:3px 8px;text-align:left}
table.index td.n{text-align:right;font-variant-numeric:tabular-nums}
table.index td.n.hit{font-weight:600;color:var(--err)}
details.file{border:1px solid var(--line);border-radius:6px;margin:8px 0;
content-visibility:auto;contain-intrinsic-size:auto 40px}
details.file>summary{cursor:pointer;padding:6px 10px;font-family:ui-monospace,monospace;
font-size:13px;background:#f6f8fa;border-radius:6px}
.counts{color:var(--mute);font-family:system-ui,sans-serif;margin-left:8px}
.body{white-space:pre-wrap;word-break:break-word;font:13px/1.55 ui-monospace,
"SFMono-Regular",Menlo,monospace;padding:10px 12px;margin:0}
.hg{background:var(--hg);border-bottom:2px solid var(--hgc);cursor:help}
.hg .c{color:var(--hgc);font-weight:700}
.hg .h{background:#ffd7d5;color:var(--err);font-size:11px;border-radius:3px;padding:0 2px}
del.bp{color:var(--bpfg);text-decoration:line-through;background:var(--bp);display:block}
.bp-label{display:inline-block;font:600 11px system-ui,sans-serif;text-decoration:none;
color:#fff;background:#8250df;border-radius:10px;padding:0 8px;margin:2px 0;cursor:help}
ul.findings{margin:0;padding:6px 12px 10px 30px;font-size:13px;border-top:1px solid var(--line)}
.cluster{border:1px solid var(--line);border-radius:6px;margin:10px 0;padding:6px 10px}
.pair h3{font-size:14px;margin:8px 0 4px;font-family:ui-monospace,monospace;font-weight:500}
.verdict{font-weight:700;color:var(--warn)}
.passages{display:grid;grid-template-columns:1fr 1fr;gap:6px 12px}
.passage{font:12.5px/1.5 ui-monospace,monospace;white-space:pre-wrap;background:#f6f8fa;
border-left:3px solid #0969da;padding:4px 8px;margin:0;word-break:break-word}
.sim{grid-column:1/3;color:var(--mute);font-size:12px;margin-top:4px}
#tip{position:fixed;z-index:10;max-width:560px;background:#1b1f24;color:#fff;
font:12px/1.45 ui-monospace,monospace;white-space:pre-wrap;padding:6px 9px;
border-radius:6px;pointer-events:none;display:none;box-shadow:0 4px 12px #0004}
"""

_JS = """
(function(){
var tip=document.getElementById('tip');
function el(tag,cls,text){var e=document.createElement(tag);if(cls)e.className=cls;
if(text!=null)e.textContent=text;return e;}
function render(sec){
  if(sec.dataset.done)return;sec.dataset.done='1';
  var data=JSON.parse(document.getElementById('d'+sec.dataset.i).textContent);
  var pre=sec.querySelector('.body');
  data.blocks.forEach(function(b){
    var host=pre;
    if(b[0]!==null){
      var lab=el('span','bp-label',b[0]);lab.dataset.tip='boilerplate: '+b[0]+'\\n'+b[1];
      pre.appendChild(lab);host=el('del','bp');host.dataset.kind=b[0];pre.appendChild(host);
    }
    b[2].forEach(function(s){
      if(typeof s==='string'){host.appendChild(document.createTextNode(s));return;}
      var span=el('span','hg');span.dataset.tip=data.tips[s[0]];
      s[1].forEach(function(p){
        if(!p[1]){span.appendChild(document.createTextNode(p[0]));return;}
        var cls=(p[1].indexOf('c')>=0?'c':'')+(p[1].indexOf('h')>=0?' h':'');
        span.appendChild(el('span',cls,p[0]));
      });
      host.appendChild(span);
    });
  });
}
document.querySelectorAll('details.file').forEach(function(d){
  d.addEventListener('toggle',function(){if(d.open)render(d);});
  if(d.open)render(d);
});
function openHash(){
  var t=location.hash&&document.getElementById(location.hash.slice(1));
  if(t&&t.tagName==='DETAILS'){t.open=true;render(t);}
}
window.addEventListener('hashchange',openHash);openHash();
document.addEventListener('mouseover',function(e){
  var t=e.target.closest&&e.target.closest('[data-tip]');
  if(!t){tip.style.display='none';return;}
  tip.textContent=t.dataset.tip;tip.style.display='block';
  var r=t.getBoundingClientRect();
  tip.style.left=Math.max(4,Math.min(r.left,innerWidth-580))+'px';
  tip.style.top=(r.bottom+6<innerHeight-120?r.bottom+6:Math.max(4,r.top-120))+'px';
});
})();
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _cluster_html(n: int, pairs: Sequence[PairReport], anchors: Mapping[str, str]) -> list[str]:
    keys = sorted({k for p in pairs for k in (p.a, p.b)})
    out = [f'<div class="cluster" id="c{n}"><b>cluster {n}</b>: {len(keys)} files ']
    out.append(", ".join(f'<a href="#{anchors[k]}">{_e(k)}</a>' for k in keys))
    for p in pairs:
        out.append('<div class="pair">')
        out.append(
            f"<h3>{_e(p.a)} ~ {_e(p.b)}: <span class='verdict'>{_e(p.verdict)}</span>, "
            f"score {p.score:.3f}</h3>"
        )
        shown = p.evidence[:MAX_PASSAGES]
        if shown:
            out.append('<div class="passages">')
            for ev in shown:
                out.append(
                    f'<div class="sim">similarity {ev.similarity:.2f}: line {ev.a.line} '
                    f"of the first, line {ev.b.line} of the second</div>"
                )
                out.append(f'<pre class="passage a">{_e(ev.text_a)}</pre>')
                out.append(f'<pre class="passage b">{_e(ev.text_b)}</pre>')
            out.append("</div>")
        if len(p.evidence) > len(shown):
            out.append(f"<p class='meta'>{len(p.evidence) - len(shown)} more passages</p>")
        out.append("</div>")
    out.append("</div>")
    return out


def render_html(report: Report, *, title: str = "textforensics report", version: str = "") -> str:
    """The self-contained HTML page for ``report``."""
    anchors = {f.path: f"f{i}" for i, f in enumerate(report.files)}
    cluster_of: dict[str, int] = {}
    for n, pairs in enumerate(report.clusters, 1):
        for p in pairs:
            cluster_of.setdefault(p.a, n)
            cluster_of.setdefault(p.b, n)
    total_f = sum(len(f.findings) for f in report.files)
    total_bp = sum(len(f.removed) for f in report.files)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        # No network at all: the page may be opened from a mail or a CI artifact.
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; script-src 'unsafe-inline'\">",
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>",
        '<div id="tip" role="tooltip"></div>',
        f"<h1>{_e(title)}</h1>",
        f'<p class="meta">{len(report.files)} files, {total_f} homoglyph and hidden-character '
        f"findings, {total_bp} boilerplate blocks, {len(report.clusters)} duplicate clusters"
        + (f" &middot; textforensics {_e(version)}" if version else "")
        + "</p>",
        '<h2 id="index">Index</h2><table class="index"><thead><tr><th>file</th>'
        "<th>homoglyphs</th><th>hidden</th><th>boilerplate blocks</th><th>cluster</th>"
        "</tr></thead><tbody>",
    ]
    for f in report.files:
        cells = []
        for count in (f.homoglyphs, f.hidden, len(f.removed)):
            cells.append(f'<td class="n{" hit" if count else ""}">{count}</td>')
        c = cluster_of.get(f.path)
        link = f'<a href="#c{c}">{c}</a>' if c else ""
        parts.append(
            f'<tr><td><a href="#{anchors[f.path]}">{_e(f.path)}</a></td>{"".join(cells)}'
            f"<td>{link}</td></tr>"
        )
    parts.append("</tbody></table>")
    parts.append('<h2 id="clusters">Duplicate clusters</h2>')
    if not report.clusters:
        parts.append('<p class="meta">No near-duplicates or rewrites among the files.</p>')
    for n, pairs in enumerate(report.clusters, 1):
        parts.extend(_cluster_html(n, pairs, anchors))
    parts.append('<h2 id="files">Files</h2>')
    for i, f in enumerate(report.files):
        counts = f"{f.homoglyphs} homoglyph, {f.hidden} hidden, {len(f.removed)} boilerplate blocks"
        parts.append(
            f'<details class="file" id="f{i}" data-i="{i}"><summary>{_e(f.path)}'
            f'<span class="counts">{counts}</span></summary><div class="body"></div>'
        )
        if f.findings:
            parts.append('<ul class="findings">')
            for h in f.findings:
                parts.append(
                    f"<li>{h.line}:{h.column} <b>{_e(h.code)}</b> {_e(h.kind)}: "
                    f"{_e(h.message)}</li>"
                )
            parts.append("</ul>")
        parts.append(
            f'<script type="application/json" id="d{i}">{_script_json(file_body(f))}</script>'
            "</details>"
        )
    parts.append(f"<script>{_JS}</script></body></html>")
    return "\n".join(parts) + "\n"


def write_report(path: str, page: str) -> None:
    """Write ``page`` to ``path`` atomically (:func:`textforensics.storage.atomic_write`),
    so a reader never sees half a report."""
    atomic_write(path, page.encode("utf-8"))
