"""A seeded paraphraser and same-topic negatives, for calibrating the rewrite tier.

Not part of the library: a dev-set generator for ``benchmarks/`` (issue 14). It turns a
text into a paraphrase with a chosen share of its words changed, using only cheap,
reproducible edits:

- sentence reordering (adjacent swaps for light rewrites, a shuffle inside each
  paragraph for heavy ones);
- synonym substitution from :data:`SYNONYMS`, a small English list written for this
  project (a few hundred head words, each with one to three substitutes);
- simple voice changes where a regex recognises the shape (``the X <verb>ed the Y`` and
  back; ``X said (that) Y.`` to ``Y, X said.``);
- dropping a comma-delimited clause and adding a stock connective phrase.

The share of words changed is measured as ``1 - overlap / max(len(a), len(b))`` over the
word multisets (order ignored, so reordering alone changes nothing): see
:func:`changed_share`. ``paraphrase(text, change=0.5)`` is a "heavy" paraphrase,
``change=0.2`` a light rewrite.

:func:`same_topic_pairs` picks pairs of *different* dev-set articles about the same topic
(the most similar other article by content words, never sharing a run of 8 words) as
negatives: texts a rewrite detector must call unrelated.
"""

from __future__ import annotations

import gzip
import json
import random
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

DEV_SET = Path("/work/shared/eval/boilerplate/wcxb-dev.jsonl.gz")

# One head word per line, then its substitutes. Inflected forms are listed separately
# because nothing here stems; substitutes keep the head word's part of speech and tense
# where that is easy, and may be multi-word.
_SYNONYM_TEXT = """
about: around, roughly, approximately
above: over
according: per
accept: take, receive
accepted: took, received
achieve: reach, attain
across: throughout
actually: in fact, really
add: include
added: included
additional: extra, further
address: tackle
advantage: benefit
affect: influence, impact
after: following
again: once more
against: versus
agree: concur
agreed: concurred
aim: goal
allow: let, permit
allowed: permitted
allows: lets, permits
almost: nearly
already: previously
also: too, as well
although: though, even though
always: consistently
amount: quantity
announce: declare
announced: declared, unveiled
answer: reply, response
anyone: anybody
appear: seem
appears: seems
approach: method, strategy
area: region, zone
areas: regions, zones
around: about
article: piece, story
ask: request
asked: requested
attempt: try, effort
attention: notice
available: accessible, on hand
avoid: evade, steer clear of
based: grounded
basic: fundamental
because: since, as
become: turn into
becomes: turns into
before: prior to, ahead of
begin: start
began: started
behind: beyond
believe: think
believes: thinks
benefit: advantage
best: finest, top
better: superior
big: large, major
both: the two
brief: short
bring: carry
build: construct
building: structure
built: constructed
business: company, firm
businesses: companies, firms
buy: purchase
called: named
care: attention
case: instance
cause: lead to
caused: led to
central: core
certain: particular
change: shift, alter
changed: altered
changes: shifts
cheap: inexpensive
check: verify
choice: option
choose: pick, select
city: town
claim: assert
claimed: asserted
clear: evident, plain
clearly: plainly
close: near
common: widespread
community: neighbourhood
company: firm, business
complete: full, entire
completely: entirely, fully
concern: worry
concerns: worries
consider: weigh
considered: regarded
continue: carry on, keep going
continued: carried on
continues: carries on
control: command
correct: right, accurate
cost: price
costs: expenses
country: nation
create: produce, make
created: produced
critical: crucial, vital
current: present
currently: presently, at present
customer: client
customers: clients
data: information
deal: agreement
decide: determine
decided: chose
decision: choice, ruling
demand: need
describe: depict
described: depicted
design: layout
despite: in spite of
detail: particular
details: particulars
develop: build
developed: built
development: growth
difference: gap
different: distinct, varied
difficult: hard, tough
directly: straight
discover: find
discuss: talk about
discussed: talked about
during: throughout, in the course of
each: every
early: initial
easily: readily
easy: simple
effect: impact
effective: efficient
effort: attempt
efforts: attempts
else: other
end: finish
ended: finished
enough: sufficient
ensure: make sure
entire: whole
especially: particularly
essential: vital
even: still
event: occasion
events: occasions
eventually: ultimately
every: each
evidence: proof
exactly: precisely
example: instance
expect: anticipate
expected: anticipated
experience: background
expert: specialist
experts: specialists
explain: clarify
explained: clarified
extra: additional
face: confront
fact: truth
fail: flop
family: household
far: much
fast: quick, rapid
feel: sense
few: a handful of
final: last
finally: lastly, in the end
find: discover
first: initial
focus: concentrate
follow: track
following: after
force: compel
forced: compelled
form: shape
former: previous, earlier
found: discovered
free: complimentary
frequently: often
full: complete
fully: completely
future: coming
gain: obtain
get: obtain, receive
gets: obtains
give: provide, offer
given: provided
gives: provides
global: worldwide
goal: aim, target
goals: aims, targets
good: fine, solid
government: administration
great: excellent, terrific
group: team
groups: teams
grow: expand
growing: expanding
growth: expansion
guide: guidebook
happen: occur
happened: occurred
hard: difficult, tough
help: assist, aid
helped: assisted
helps: assists
high: elevated
highly: very
however: but, yet
huge: enormous, vast
idea: notion, concept
ideas: notions, concepts
identify: pinpoint
immediately: at once
impact: effect
important: significant, key
improve: enhance, boost
improved: enhanced
include: contain
included: contained
includes: contains
including: such as
increase: rise, growth
increased: rose, grew
increasingly: more and more
indeed: certainly
individual: person
information: details, data
initial: first
instead: rather
interest: curiosity
issue: problem, matter
issues: problems, matters
job: position, role
just: only, simply
keep: retain, maintain
key: crucial
kind: type, sort
know: understand
known: recognised
large: big, sizeable
largest: biggest
last: previous, final
later: afterwards, subsequently
launch: introduce
launched: introduced
lead: guide
leader: head, chief
leaders: heads
learn: discover
least: minimum
leave: depart
left: departed
less: fewer
level: degree
likely: probably
limit: cap
limited: restricted
little: small
local: regional
long: lengthy
look: appear
looking: seeking
lot: great deal
low: modest
main: principal, chief
major: significant
make: create, produce
makes: creates
making: creating
manage: handle
many: numerous, plenty of
market: marketplace
may: might
meaning: sense
means: signifies
measure: gauge
meet: satisfy
method: technique, approach
might: could
million: millions of
minor: small
modern: contemporary
moment: instant
money: funds, cash
more: further, additional
moreover: furthermore, besides
most: the majority of
move: shift
much: a great deal of
must: have to
near: close to
nearly: almost
necessary: needed, required
need: require
needed: required
needs: requires
never: not ever
new: fresh, novel
next: following
nothing: not anything
notice: observe
now: currently, at present
number: count
obtain: get
obvious: plain, clear
occur: happen
offer: provide
offered: provided
offers: provides
office: bureau
official: authority
officials: authorities
often: frequently
old: aged, former
only: merely, just
open: accessible
opportunity: chance
option: choice
options: choices
order: sequence
original: initial
other: another
overall: in general
own: personal
part: portion, share
particular: specific
particularly: especially
past: previous
people: individuals, persons
percent: per cent
perhaps: maybe, possibly
period: stretch, span
person: individual
place: location, spot
plan: scheme, proposal
plans: schemes, proposals
play: perform
point: moment
popular: well-liked
position: post, role
possible: feasible
potential: possible
power: strength
practice: custom
prepare: ready
present: current
pretty: fairly, rather
prevent: stop, avert
previous: earlier, prior
previously: earlier, before
price: cost
prices: costs
primary: main
probably: likely
problem: difficulty, issue
problems: difficulties, issues
process: procedure
produce: generate
product: item
products: items, goods
program: programme, scheme
project: undertaking
protect: safeguard
provide: supply, offer
provided: supplied
provides: supplies
public: general
purpose: aim
quality: standard
question: query
questions: queries
quick: fast, speedy
quickly: rapidly, swiftly
quite: rather, fairly
raise: lift
range: spectrum
rapid: swift
rapidly: quickly
rate: pace
rather: somewhat
reach: attain
reached: attained
ready: prepared
real: actual, genuine
really: truly
reason: cause
reasons: causes
receive: get
received: got
recent: latest
recently: lately
reduce: cut, lower
reduced: cut, lowered
region: area
related: connected
release: publish
released: published
remain: stay
remains: stays
report: account
reported: stated
reports: accounts
require: need
required: needed
research: study
result: outcome
results: outcomes, findings
return: come back
reveal: disclose
revealed: disclosed
right: correct
rise: increase
risk: danger, hazard
role: part, function
rule: regulation
rules: regulations
run: operate
said: stated, noted
same: identical
save: keep
say: state
says: states, notes
second: next
see: notice
seek: look for
seem: appear
seems: appears
select: choose
serious: grave
serve: act
service: offering
services: offerings
set: established
several: a number of, various
share: portion
short: brief
show: demonstrate, display
showed: demonstrated
shows: demonstrates
significant: considerable, notable
significantly: considerably
similar: comparable, alike
simple: straightforward
simply: just
since: because
single: sole
situation: circumstance
size: scale
small: little, minor
so: therefore
social: societal
software: programs
some: certain
sometimes: at times
soon: shortly
source: origin
special: particular
specific: particular
spend: expend
staff: employees, personnel
start: begin
started: began
state: condition
statement: remark
still: yet
stop: halt
story: account
strong: robust, powerful
student: pupil
students: pupils
study: research
success: achievement
successful: effective
such: like
suggest: propose
suggested: proposed
support: backing, help
supported: backed
sure: certain
system: framework
systems: frameworks
take: grab
taken: seized
takes: needs
task: job, chore
team: group, crew
tell: inform
term: expression
test: trial
then: next, after that
therefore: thus, hence
thing: item
things: items, matters
think: believe
though: although
through: via
throughout: across
time: period
today: nowadays
together: jointly
told: informed
tool: instrument
tools: instruments
top: leading
total: overall
toward: towards
towards: toward
try: attempt
trying: attempting
type: kind, sort
types: kinds, sorts
typically: usually, normally
under: beneath, below
understand: grasp
unique: distinctive
until: till
usage: use
use: utilise, employ
used: utilised, employed
useful: helpful, handy
user: person
users: people
uses: employs
using: utilising, employing
usually: generally, typically
value: worth
various: several, assorted
vast: immense
very: extremely, highly
view: opinion
want: wish
wanted: wished
way: manner, method
ways: manners, methods
week: seven days
well: properly
whether: if
while: whereas
whole: entire
wide: broad
within: inside
without: lacking
work: labour
worked: laboured
worker: employee
workers: employees
working: labouring
world: globe
worth: value
year: twelve months
years: seasons
yet: still
young: youthful
and: as well as, plus
are: remain
can: is able to, could
for: for the sake of
from: out of
has: possesses
have: possess
in: within, inside
is: remains
it: this
of: belonging to
on: upon
or: or else
our: the
that: which
the: this, that
their: its
these: those
this: that
those: these
to: towards
we: one
what: whatever
will: is going to, shall
with: alongside, along with
you: one
your: one's
"""


def _parse_synonyms(text: str) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for line in text.strip().splitlines():
        head, _, rest = line.partition(":")
        subs = tuple(s.strip() for s in rest.split(",") if s.strip())
        if subs:
            out[head.strip()] = subs
    return out


SYNONYMS: dict[str, tuple[str, ...]] = _parse_synonyms(_SYNONYM_TEXT)
"""Head word (lower case) -> substitutes."""

CONNECTIVES = (
    "In fact,",
    "Notably,",
    "As it turns out,",
    "By most accounts,",
    "According to those involved,",
    "For what it is worth,",
    "In other words,",
    "At the same time,",
    "As a result,",
    "On the whole,",
)
TRAILERS = (
    "as many observers pointed out",
    "at least for now",
    "according to the people involved",
    "which surprised few",
    "as expected",
    "in the view of many",
)

_WORD_RE = re.compile(r"\w+(?:['’]\w+)*")
_SENT_RE = re.compile(r"(?<=[.!?])\s+(?=[\"“(A-Z0-9])")
_PASSIVE_RE = re.compile(r"\b([Tt]he \w+) (?:was|were) (\w+ed) by (the \w+)\b")
_ACTIVE_RE = re.compile(r"\b([Tt]he \w+) (\w+ed) (the \w+)\b")
_SAID_RE = re.compile(r"^([A-Z][\w.' -]{1,40}?) said (?:that )?(.{20,}?)([.!?])$")
_CLAUSE_RE = re.compile(r", [^,;]{8,80}?,")


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD_RE.findall(text)]


def changed_share(a: str, b: str) -> float:
    """Share of words changed between ``a`` and ``b``: ``1 - overlap / max(len)`` over the
    lower-cased word multisets (so reordering alone changes nothing)."""
    wa, wb = Counter(words(a)), Counter(words(b))
    total = max(sum(wa.values()), sum(wb.values()))
    if not total:
        return 0.0
    return 1.0 - sum((wa & wb).values()) / total


def sentences(paragraph: str) -> list[str]:
    return [s for s in _SENT_RE.split(paragraph.strip()) if s]


def _match_case(src: str, dst: str) -> str:
    if src[:1].isupper():
        return dst[:1].upper() + dst[1:]
    return dst


def _voice(sentence: str, rng: random.Random) -> str:
    m = _SAID_RE.match(sentence)
    if m and rng.random() < 0.7:
        subj, rest, end = m.groups()
        return f"{rest[:1].upper()}{rest[1:]}, {subj} said{end}"
    if _PASSIVE_RE.search(sentence):
        return _PASSIVE_RE.sub(lambda m: f"{m[3]} {m[2]} {m[1].lower()}", sentence, count=1)
    if _ACTIVE_RE.search(sentence):
        return _ACTIVE_RE.sub(lambda m: f"{m[3]} was {m[2]} by {m[1].lower()}", sentence, count=1)
    return sentence


def _substitute(sentence: str, p: float, rng: random.Random) -> str:
    def repl(m: re.Match[str]) -> str:
        w = m.group(0)
        subs = SYNONYMS.get(w.lower())
        if subs is None or rng.random() >= p:
            return w
        return _match_case(w, rng.choice(subs))

    return _WORD_RE.sub(repl, sentence)


def paraphrase(text: str, *, change: float = 0.5, seed: int = 0) -> str:
    """A paraphrase of ``text`` with about ``change`` of its words changed (see module
    docstring). Deterministic for a given ``seed``; paragraphs (blank-line separated)
    stay paragraphs."""
    rng = random.Random(seed)
    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    n_words = max(1, len(words(text)))
    eligible = sum(1 for w in words(text) if w in SYNONYMS)
    # Synonyms carry most of the change; clause edits add the rest. The substitution
    # rate is what the eligible words must supply for the target, capped at all of them.
    p_sub = min(1.0, 1.15 * change * n_words / max(1, eligible))
    p_clause = min(0.9, 1.2 * change)
    out_paragraphs: list[str] = []
    for para in paragraphs:
        sents = sentences(para)
        if change >= 0.35:
            rng.shuffle(sents)
        else:
            for i in range(len(sents) - 1):
                if rng.random() < change:
                    sents[i], sents[i + 1] = sents[i + 1], sents[i]
        new: list[str] = []
        for s in sents:
            if rng.random() < change:
                s = _voice(s, rng)
            if rng.random() < p_clause * 0.5:
                s = _CLAUSE_RE.sub(",", s, count=1) if _CLAUSE_RE.search(s) else s
            s = _substitute(s, p_sub, rng)
            if rng.random() < p_clause * 0.3:
                s = f"{rng.choice(CONNECTIVES)} {s[:1].lower()}{s[1:]}"
            elif rng.random() < p_clause * 0.15 and s[-1:] in ".!?":
                s = f"{s[:-1]}, {rng.choice(TRAILERS)}{s[-1]}"
            new.append(s)
        out_paragraphs.append(" ".join(new))
    if change >= 0.35 and len(out_paragraphs) > 2:
        head, rest = out_paragraphs[:1], out_paragraphs[1:]
        rng.shuffle(rest)
        out_paragraphs = head + rest
    return "\n\n".join(out_paragraphs)


# --- same-topic negatives --------------------------------------------------------------

_STOP = frozenset(
    """
    that this with from have will your they their there which about would were been
    what when more also into than them then some only other just like over such make
    most many these those very could should while where being after before because does
    here each much even well most through between during both under again further
    """.split()  # noqa: SIM905
)


def load_records(path: Path = DEV_SET) -> list[dict[str, object]]:
    """The dev-set records (read in place, never copied)."""
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def _content(text: str) -> frozenset[str]:
    return frozenset(w for w in words(text) if len(w) >= 4 and w not in _STOP)


def _grams(text: str, n: int = 8) -> set[tuple[str, ...]]:
    ws = words(text)
    return {tuple(ws[i : i + n]) for i in range(len(ws) - n + 1)}


def article_texts(
    records: Iterable[dict[str, object]], min_chars: int = 1500
) -> list[tuple[str, str, str]]:
    """``(id, domain, main)`` of the article pages with at least ``min_chars`` of main."""
    out = []
    for r in records:
        main = str(r.get("main") or "")
        if r.get("page_type") == "article" and len(main) >= min_chars:
            out.append((str(r["id"]), str(r.get("domain") or ""), main))
    return out


def same_topic_pairs(
    articles: Sequence[tuple[str, str, str]], n: int, *, seed: int = 0
) -> list[tuple[str, str, float]]:
    """``n`` pairs ``(id_a, id_b, topic_similarity)`` of different articles on the same
    topic: each article's most similar other article by content-word Jaccard (words of 4+
    letters minus a stop list), greedily without reuse, skipping pairs that share any
    run of 8 words (those would be real reuse, not a negative). Most similar first; ties
    and the greedy order are broken by ``seed``."""
    rng = random.Random(seed)
    order = list(range(len(articles)))
    rng.shuffle(order)
    content = [_content(a[2]) for a in articles]
    scored: list[tuple[float, int, int]] = []
    for x in order:
        best, best_j = 0.0, -1
        for j in range(len(articles)):
            if j == x:
                continue
            inter = len(content[x] & content[j])
            if not inter:
                continue
            sim = inter / len(content[x] | content[j])
            if sim > best:
                best, best_j = sim, j
        if best_j >= 0:
            scored.append((best, x, best_j))
    scored.sort(key=lambda t: -t[0])
    used: set[int] = set()
    out: list[tuple[str, str, float]] = []
    for sim, x, j in scored:
        if x in used or j in used:
            continue
        if _grams(articles[x][2]) & _grams(articles[j][2]):
            continue
        used.update((x, j))
        out.append((articles[x][0], articles[j][0], round(sim, 4)))
        if len(out) >= n:
            break
    return out


if __name__ == "__main__":
    arts = article_texts(load_records())
    sample = arts[0][2][:2000]
    for c in (0.2, 0.5):
        para = paraphrase(sample, change=c, seed=1)
        print(f"--- change={c}: measured {changed_share(sample, para):.2f}\n{para[:600]}\n")
    print(len(SYNONYMS), "synonym entries")
