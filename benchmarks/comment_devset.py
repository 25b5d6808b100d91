"""A comment-heavy boilerplate dev set, generated from the WCXB dev set's article pages.

    .venv/bin/python benchmarks/comment_devset.py [--per-cell 4] [--seed 13] [--write PATH]
        [--show FAMILY LANG] [--dev-set ../shared/eval/boilerplate/wcxb-dev.jsonl.gz]

Every record is one dev-set article page (``page_type == "article"``) with a reader-comment
thread spliced in right after the article's last paragraph (or, when that paragraph cannot
be found in the page text, at the end of the page). The thread is rendered as the HTML of
one of twelve comment widgets in one of seven languages and converted to text with
``html_text.extract_text(html, guess_layout=True)``, the conversion the dev set used, so that
its blank lines and line breaks are the ones a real page would have.

The dev set is read from ``../shared/eval/boilerplate/wcxb-dev.jsonl.gz`` and never copied:
the set is rebuilt in memory from the seed (``build_records``), which takes a few seconds.
``--write`` stores it as JSON lines (gzip when the name ends in ``.gz``) for other tools;
keep such files outside the repository. ``--show`` prints one generated thread.

Record fields: ``id``, ``family``, ``variant``, ``language``, ``source_id``, ``domain``,
``placement`` (``after_article`` / ``end``), ``text`` (the page with the thread),
``main`` (the article's gold main, unchanged), ``comment_text`` (the thread as spliced),
``comment_start`` / ``comment_end`` (its offsets in ``text``), ``with`` (the article's
snippets from the dev set) and ``without`` (3-8 word snippets of the thread, which must not
survive), as the dev set's README defines them.

Needs ``pip install -e '.[bench]'`` (html-text, babel, faker).
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import random
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import html_text
from babel.dates import format_date, format_time, format_timedelta
from boilerplate_scoring import DEV_SET, fold, load_records
from comment_locales import EXTRA, FAKER_LOCALE, LANGUAGES, SENTENCES, SINGULAR, UI
from faker import Faker

FAMILIES = (
    "wordpress",
    "disqus",
    "wpdiscuz",
    "numbered",
    "blogger",
    "facebook",
    "openweb",
    "reddit_hn",
    "news",
    "youtube",
    "substack_medium",
    "guestbook",
)

_WORD = re.compile(r"\S+")
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_NOT_TOPICS = frozenset(
    [
        "About",
        "Average",
        "Best",
        "Complete",
        "Guide",
        "Ultimate",
        "Yearly",
        "Where",
        "Which",
        "What",
        "These",
        "Their",
        "Things",
    ]
)


@dataclass
class Comment:
    author: str
    when: datetime
    paras: list[str]  # each already HTML (escaped text, maybe <a>, <br>, <blockquote>)
    likes: int
    depth: int
    children: list[Comment] = field(default_factory=list)


@dataclass
class Ctx:
    rng: random.Random
    lang: str
    fake: Faker
    now: datetime
    title: str
    article_sentences: list[str]
    topics: list[str]
    used: set[str] = field(default_factory=set)  # sentences this thread has already said

    def ui(self, key: str, **kw: object) -> str:
        form = UI[self.lang][key]
        if kw.get("n") == 1:
            form = SINGULAR[self.lang].get(key, form)
        return html.escape(form.format(**kw))

    def ago(self, when: datetime, style: str = "long") -> str:
        delta = when - self.now  # negative: in the past
        if style == "narrow":
            return html.escape(format_timedelta(delta, format="narrow", locale=self.lang))
        if style == "long":
            return html.escape(
                format_timedelta(delta, add_direction=True, format="long", locale=self.lang)
            )
        return html.escape(
            format_timedelta(delta, add_direction=True, format="short", locale=self.lang)
        )

    def date(self, when: datetime, fmt: str = "long") -> str:
        return html.escape(format_date(when.date(), fmt, locale=self.lang))

    def time(self, when: datetime) -> str:
        return html.escape(format_time(when.time(), "short", locale=self.lang))

    def at(self, when: datetime, fmt: str = "long") -> str:
        return self.ui("at", date=self.date(when, fmt), time=self.time(when))


# --- people and text -------------------------------------------------------------------


def person(ctx: Ctx) -> str:
    f, r = ctx.fake, ctx.rng
    male = r.random() < 0.5
    first = f.first_name_male() if male else f.first_name_female()
    last = f.last_name_male() if male else f.last_name_female()
    style = r.random()
    if style < 0.35:
        return f"{first} {last}"
    if style < 0.55:
        return str(first)
    if style < 0.7:
        return f"{first} {last[0]}."
    if style < 0.85:
        return str(f.user_name())
    return f"{first}{r.randint(1, 99)}" if r.random() < 0.5 else f"{first.lower()}_{last.lower()}"


def city(ctx: Ctx) -> str:
    if ctx.lang == "it":  # it_IT's city() draws from a list built from a set: hash-seeded
        return str(ctx.fake.postcode_city_province()).split(", ", 1)[1].rsplit(" (", 1)[0]
    return str(ctx.fake.city())


def handle(name: str) -> str:
    return re.sub(r"\W+", "", name.replace(" ", "").lower()) or "user"


def sentence(ctx: Ctx, kind: str) -> str:
    bank = SENTENCES[ctx.lang][kind]
    s = ctx.rng.choice(bank)
    return s.replace("{url}", ctx.fake.url()) if "{url}" in s else s


def sentences(ctx: Ctx, n: int) -> str:
    """``n`` distinct reader sentences, sometimes with a lead-in, a topic line or a sign-off."""
    r, extra = ctx.rng, EXTRA[ctx.lang]
    pool = [s for k in ("opinion", "question", "story") for s in SENTENCES[ctx.lang][k]]
    fresh = [s for s in pool if s not in ctx.used]
    if len(fresh) < n:  # the thread has said everything once: start over
        ctx.used.clear()
        fresh = pool
    picked = r.sample(fresh, n)
    ctx.used.update(picked)
    if ctx.topics and r.random() < 0.2:
        t = r.choice(extra["topic"]).format(topic=r.choice(ctx.topics))
        picked.insert(r.randrange(len(picked) + 1), t)
    if r.random() < 0.2:
        lead = r.choice(extra["open"])
        first = picked[0]
        picked[0] = (
            f"{lead} {first[0].lower()}{first[1:]}" if lead.endswith(",") else (f"{lead} {first}")
        )
    if r.random() < 0.15:
        picked.append(r.choice(extra["close"]))
    return " ".join(picked)


def with_link(ctx: Ctx, text: str) -> str:
    """Escape; maybe turn a trailing URL or an inserted one into a link."""
    out = html.escape(text)
    for url in re.findall(r"https?://\S+", text):
        u = html.escape(url)
        out = out.replace(u, f'<a href="{u}">{u}</a>')
    if "http" not in text and ctx.rng.random() < 0.07:
        url = html.escape(ctx.fake.url() + ctx.fake.uri_path())
        out += f' <a href="{url}">{url}</a>'
    return out


def body(ctx: Ctx, parent: Comment | None) -> list[str]:
    r = ctx.rng
    paras: list[str] = []
    if parent is not None and r.random() < 0.2:
        quoted = re.sub(r"<[^>]+>", "", parent.paras[0])[:160]
        paras.append(
            f"<blockquote><p>{ctx.ui('wrote', name=parent.author)}<br>{quoted}</p></blockquote>"
        )
    elif r.random() < 0.07 and ctx.article_sentences:
        q = html.escape(r.choice(ctx.article_sentences))
        paras.append(f"<blockquote><p>{q}</p></blockquote>" if r.random() < 0.6 else f"“{q}”")
    roll = r.random()
    mention = f"@{parent.author} " if parent is not None and r.random() < 0.35 else ""
    if roll < 0.05:
        paras.append(with_link(ctx, sentence(ctx, "spam")))
    elif roll < 0.35:
        paras.append(html.escape(mention) + with_link(ctx, sentence(ctx, "short")))
    elif roll < 0.8:
        text = sentences(ctx, r.randint(1, 3))
        if r.random() < 0.15:
            text += " " + r.choice(("😀", "😂", "🙏", "👍", "🔥", "🤔", "😡", "❤️"))
        paras.append(html.escape(mention) + with_link(ctx, text))
    else:  # long: several paragraphs, sometimes lines joined by <br>
        for i in range(r.randint(2, 4)):
            lead = html.escape(mention) if i == 0 else ""
            if r.random() < 0.25:
                lines = [sentences(ctx, 1) for _ in range(r.randint(2, 4))]
                paras.append(lead + "<br>".join(with_link(ctx, s) for s in lines))
            else:
                paras.append(lead + with_link(ctx, sentences(ctx, r.randint(2, 4))))
    return paras


def thread(ctx: Ctx, max_depth: int) -> list[Comment]:
    r = ctx.rng
    n_top = r.choice([1, 2, 3, 3, 4, 5, 6, 8, 10, 14])
    span = timedelta(days=r.choice([0, 0, 1, 3, 20, 200, 900]), hours=r.randint(2, 20))
    when = ctx.now - span
    step = max(2, int(span.total_seconds() // 60) // 12)
    total = 0

    def make(parent: Comment | None, depth: int, after: datetime) -> Comment:
        nonlocal total
        total += 1
        at = min(ctx.now - timedelta(minutes=1), after + timedelta(minutes=r.randint(1, step)))
        likes = r.choice([0, 0, 0, 1, 2, 3, 5, 12, 48])
        c = Comment(person(ctx), at, body(ctx, parent), likes, depth)
        p_reply = (0.45, 0.25, 0.15, 0.0)[min(depth, 3)]
        while depth < max_depth and total < 32 and r.random() < p_reply:
            c.children.append(make(c, depth + 1, at))
        return c

    out = []
    for _ in range(n_top):
        out.append(make(None, 0, when))
        when = out[-1].when
    return out


def flat(comments: Sequence[Comment]) -> list[Comment]:
    res: list[Comment] = []
    for c in comments:
        res.append(c)
        res.extend(flat(c.children))
    return res


def ps(c: Comment) -> str:
    return "".join(p if p.startswith("<blockquote") else f"<p>{p}</p>" for p in c.paras)


def count(cs: Sequence[Comment]) -> int:
    return len(flat(cs))


# --- the widgets ---------------------------------------------------------------------


def r_wordpress(ctx: Ctx, cs: list[Comment]) -> tuple[str, str]:
    r = ctx.rng
    n = count(cs)
    variant = r.choice(["thoughts_on", "responses_to", "n_comments"])
    head = ctx.ui(variant, n=n, title=ctx.title)

    def item(c: Comment) -> str:
        kids = f'<ol class="children">{"".join(item(k) for k in c.children)}</ol>'
        return (
            f'<li class="comment"><article><footer class="comment-meta">'
            f'<div class="comment-author vcard"><img alt="" src="a.png"> '
            f'<b class="fn">{html.escape(c.author)}</b> <span class="says">{ctx.ui("says")}</span>'
            f'</div><div class="comment-metadata"><a href="#c"><time>{ctx.at(c.when)}</time></a>'
            f'</div></footer><div class="comment-content">{ps(c)}</div>'
            f'<div class="reply"><a href="#r">{ctx.ui("reply")}</a></div></article>'
            f"{kids if c.children else ''}</li>"
        )

    form = (
        f'<div id="respond"><h3 id="reply-title">{ctx.ui("leave_reply")} <small>'
        f'<a href="#">{ctx.ui("cancel_reply")}</a></small></h3><form>'
        f'<p class="comment-notes">{ctx.ui("email_note")}</p>'
        f"<p><label>{ctx.ui('comment_field')}</label> <textarea></textarea></p>"
        f"<p><label>{ctx.ui('name_field')}</label> <input></p>"
        f"<p><label>{ctx.ui('email_field')}</label> <input></p>"
        f"<p><label>{ctx.ui('website_field')}</label> <input></p>"
        f'<p><input type="checkbox"> <label>{ctx.ui("save_cookie")}</label></p>'
        f'<p><button type="submit">{ctx.ui("post_comment")}</button></p></form></div>'
    )
    items = "".join(item(c) for c in cs)
    return variant, (
        f'<div id="comments"><h2 class="comments-title">{head}</h2>'
        f'<ol class="comment-list">{items}</ol>{form if r.random() < 0.8 else ""}</div>'
    )


def r_disqus(ctx: Ctx, cs: list[Comment]) -> tuple[str, str]:
    def item(c: Comment) -> str:
        kids = "".join(item(k) for k in c.children)
        return (
            f'<li class="post"><div class="post-byline"><span class="author">'
            f"{html.escape(c.author)}</span> <span>•</span> <a>{ctx.ago(c.when)}</a></div>"
            f'<div class="post-message">{ps(c)}</div><footer><span>{c.likes}</span> '
            f"<span>△</span> <span>▽</span> <span>•</span> <a>{ctx.ui('reply')}</a> "
            f"<span>•</span> <a>{ctx.ui('share')} ›</a></footer>"
            f"{f'<ul class=children>{kids}</ul>' if kids else ''}</li>"
        )

    items = "".join(item(c) for c in cs)
    return "disqus", (
        f'<div id="disqus_thread"><ul class="nav"><li>{ctx.ui("n_comments", n=count(cs))}</li>'
        f"<li>{ctx.ui('login')}</li></ul><div><a>{ctx.ui('recommend')}</a> "
        f"<a>{ctx.ui('share')}</a> <span>{ctx.ui('sort_best')}</span></div>"
        f'<div class="textarea"><p>{ctx.ui("join_discussion")}</p></div>'
        f'<ul class="post-list">{items}</ul><div><a class="load-more">{ctx.ui("load_more")}'
        f"</a></div></div>"
    )


def r_wpdiscuz(ctx: Ctx, cs: list[Comment]) -> tuple[str, str]:
    def item(c: Comment) -> str:
        kids = "".join(item(k) for k in c.children)
        return (
            f'<div class="wpd-comment"><div class="wpd-comment-author">{html.escape(c.author)}'
            f'</div><div class="wpd-comment-date">{ctx.ago(c.when)}</div>'
            f'<div class="wpd-comment-text">{ps(c)}</div><div class="wpd-vote">{c.likes}</div>'
            f'<div class="wpd-reply">{ctx.ui("reply")}</div>{kids}</div>'
        )

    opts = "<br>".join(html.escape(o) for o in UI[ctx.lang]["notify_opts"].split("\n"))
    fields = (
        f"<div>Label</div><div>{ctx.ui('name_field')}</div><div>{ctx.ui('email_field')}</div>"
        f"<div>{ctx.ui('website_field')}</div>"
    )
    return "wpdiscuz", (
        f'<div id="comments" class="wpdiscuz"><div class="wpd-form-head">'
        f"<div>{ctx.ui('subscribe')}</div><div>{ctx.ui('notify_of')}</div><div>{opts}</div>"
        f"</div><form>{fields}<p>Δ</p></form>"
        f'<div class="wpd-thread-head"><div>{ctx.ui("n_comments", n=count(cs))}</div>'
        f"<div>{ctx.ui('most_voted')}</div><div>{ctx.ui('newest')} {ctx.ui('sort_oldest')}"
        f"</div></div><div>{ctx.ui('inline_feedbacks')}</div><div>{ctx.ui('view_all')}</div>"
        f'<div class="wpd-thread-list">{"".join(item(c) for c in cs)}</div></div>'
    )


def r_numbered(ctx: Ctx, cs: list[Comment]) -> tuple[str, str]:
    r = ctx.rng
    sep = r.choice([" - ", " – ", " | ", ", "])
    fmt = {"en": "d MMMM, y"}.get(ctx.lang, "long") if r.random() < 0.6 else "medium"
    rows = []
    for i, c in enumerate(flat(cs), 1):
        rows.append(
            f'<div class="comment"><p class="meta">{i}. <a>{html.escape(c.author)}</a>'
            f"{sep}{ctx.date(c.when, fmt)}</p>{ps(c)}</div>"
        )
    head = f"<h3>{ctx.ui('n_comments', n=len(rows))}</h3>" if r.random() < 0.7 else ""
    return "numbered", f'<div class="comments">{head}{"".join(rows)}</div>'


def r_blogger(ctx: Ctx, cs: list[Comment]) -> tuple[str, str]:
    def item(c: Comment) -> str:
        kids = "".join(item(k) for k in c.children)
        replies = (
            f'<div class="comment-replies"><span>{ctx.ui("replies", n=len(c.children))}</span>'
            f"<dl>{kids}</dl></div>"
            if kids
            else ""
        )
        return (
            f'<dt class="comment-author">{ctx.ui("said", name=c.author)}</dt>'
            f'<dd class="comment-body">{ps(c)}</dd><dd class="comment-footer">'
            f"<a>{ctx.at(c.when)}</a></dd>{replies}"
        )

    n = count(cs)
    head = ctx.ui("n_comments", n=n) + ("" if ctx.lang == "ru" else ":")
    author = html.escape(person(ctx))
    return "blogger", (
        f'<div class="post-footer"><p>{ctx.ui("posted_by", name=author, time=ctx.time(ctx.now))}'
        f'</p></div><div id="comments"><h4>{head}</h4><dl>{"".join(item(c) for c in cs)}</dl>'
        f"<p><a>{ctx.ui('post_a_comment')}</a></p></div>"
        f'<div class="blog-pager">{"<br>".join(ctx.ui("newer_older").split(chr(10)))}</div>'
        f'<div class="feed-links">{ctx.ui("subscribe_atom")}</div>'
    )


def r_facebook(ctx: Ctx, cs: list[Comment]) -> tuple[str, str]:
    def item(c: Comment) -> str:
        kids = "".join(item(k) for k in c.children)
        job = (
            f"<div>{html.escape(ctx.fake.job())} · {html.escape(city(ctx))}</div>"
            if ctx.rng.random() < 0.3
            else ""
        )
        return (
            f'<div class="fb-comment"><a>{html.escape(c.author)}</a>{job}<div>{ps(c)}</div>'
            f"<div><a>{ctx.ui('like')}</a> · <a>{ctx.ui('reply')}</a> · "
            f"{f'<span>{c.likes}</span> · ' if c.likes else ''}<abbr>{ctx.ago(c.when, 'narrow')}"
            f"</abbr></div>{f'<div class=replies>{kids}</div>' if kids else ''}</div>"
        )

    return "facebook", (
        f'<div class="fb-comments"><div><span>{ctx.ui("n_comments", n=count(cs))}</span> '
        f"<span>{ctx.ui('sort_newest')}</span></div><div><p>{ctx.ui('add_comment')}</p></div>"
        f"{''.join(item(c) for c in cs)}<div>{ctx.ui('fb_plugin')}</div></div>"
    )


def r_openweb(ctx: Ctx, cs: list[Comment]) -> tuple[str, str]:
    brand = ctx.rng.choice(["OpenWeb", "Viafoura", "Livefyre"])

    def item(c: Comment) -> str:
        kids = "".join(item(k) for k in c.children)
        more = f"<div><a>{ctx.ui('show_replies', n=len(c.children))}</a></div>" if kids else ""
        return (
            f'<div class="comment"><div><span class="name">{html.escape(c.author)}</span></div>'
            f"<div><time>{ctx.ago(c.when, 'short')}</time></div><div>{ps(c)}</div>"
            f"<div><button>{ctx.ui('reply')}</button> <button>{c.likes}</button> "
            f"<button>{ctx.ui('like')}</button> <button>{ctx.ui('report')}</button> "
            f"<button>{ctx.ui('share')}</button></div>{more}{kids}</div>"
        )

    return brand.lower(), (
        f'<div class="conversation"><h2>{ctx.ui("conversation")}</h2>'
        f"<div>{ctx.ui('n_comments', n=count(cs))}</div>"
        f"<div><a>{ctx.ui('login')}</a> | <a>{ctx.ui('signup')}</a></div>"
        f"<p>{ctx.ui('community_guidelines')}</p><div>{ctx.ui('sort_newest')}</div>"
        f"{''.join(item(c) for c in cs)}<div><button>{ctx.ui('show_more')}</button></div>"
        f"<div>{ctx.ui('powered')} {brand}</div></div>"
    )


def r_reddit_hn(ctx: Ctx, cs: list[Comment]) -> tuple[str, str]:
    if ctx.rng.random() < 0.5:  # Hacker-News-like: one table row per comment, indented
        rows = []
        for c in flat(cs):
            rows.append(
                f'<tr><td><img width="{40 * c.depth}"></td><td><span class="comhead">'
                f"<a>{html.escape(handle(c.author))}</a> "
                f"<span>{ctx.ui('points', n=c.likes + 1)}</span> <a>{ctx.ago(c.when)}</a> | "
                f"{ctx.ui('parent_next')}</span>"
                f'<div class="commtext">{ps(c)}</div><div><u><a>{ctx.ui("reply").lower()}</a>'
                f"</u></div></td></tr>"
            )
        return "hn", f'<table class="comment-tree">{"".join(rows)}</table>'

    def item(c: Comment) -> str:
        kids = "".join(item(k) for k in c.children)
        return (
            f'<div class="thing"><div class="tagline"><a>u/{html.escape(handle(c.author))}</a>'
            f" · <span>{ctx.ui('points', n=c.likes + 1)}</span> · <time>{ctx.ago(c.when)}</time>"
            f"</div><div class=md>{ps(c)}</div><div><a>{ctx.ui('reply')}</a> "
            f"<a>{ctx.ui('share')}</a> <a>{ctx.ui('report')}</a></div>"
            f"{f'<div class=child>{kids}</div>' if kids else ''}</div>"
        )

    head = f"<div>{ctx.ui('n_comments', n=count(cs))}</div><div>{ctx.ui('sort_best')}</div>"
    return "reddit", f'<div class="commentarea">{head}{"".join(item(c) for c in cs)}</div>'


def r_news(ctx: Ctx, cs: list[Comment]) -> tuple[str, str]:
    def item(c: Comment) -> str:
        kids = "".join(item(k) for k in c.children)
        place = f", {html.escape(city(ctx))}" if ctx.rng.random() < 0.5 else ""
        return (
            f'<div class="comment"><div><b>{html.escape(c.author)}</b>{place}</div>'
            f"<div>{ctx.date(c.when, 'medium')} {ctx.time(c.when)}</div><div>{ps(c)}</div>"
            f"<div><a>{ctx.ui('recommend')} ({c.likes})</a> <a>{ctx.ui('report_abuse')}</a> "
            f"<a>{ctx.ui('reply')}</a></div>{kids}</div>"
        )

    return "news", (
        f'<section id="comments"><h2>{ctx.ui("comments_paren", n=count(cs))}</h2>'
        f"<div><a>{ctx.ui('most_recommended')}</a> <a>{ctx.ui('newest')}</a> "
        f"<a>{ctx.ui('sort_oldest')}</a></div>{''.join(item(c) for c in cs)}"
        f"<a>{ctx.ui('show_more')}</a></section>"
    )


def r_youtube(ctx: Ctx, cs: list[Comment]) -> tuple[str, str]:
    def item(c: Comment) -> str:
        kids = "".join(item(k) for k in c.children)
        more = f"<div><a>{ctx.ui('replies', n=len(c.children))}</a></div>" if kids else ""
        return (
            f'<div class="thread"><div><a>@{html.escape(handle(c.author))}</a> '
            f"<span>{ctx.ago(c.when, ctx.rng.choice(['long', 'short']))}</span></div>"
            f"<div>{ps(c)}</div><div><span>{c.likes}</span> <button>{ctx.ui('reply')}</button>"
            f"</div>{more}{kids}</div>"
        )

    return "youtube", (
        f'<div id="comments"><h2>{ctx.ui("n_comments", n=count(cs))}</h2>'
        f"<div>{ctx.ui('sort_newest')}</div><div>{ctx.ui('add_comment')}</div>"
        f"{''.join(item(c) for c in cs)}</div>"
    )


def r_substack_medium(ctx: Ctx, cs: list[Comment]) -> tuple[str, str]:
    if ctx.rng.random() < 0.5:

        def sitem(c: Comment) -> str:
            kids = "".join(sitem(k) for k in c.children)
            return (
                f'<div class="comment"><div><a>{html.escape(c.author)}</a> '
                f"<a>{ctx.date(c.when, 'medium')}</a></div><div>{ps(c)}</div>"
                f"<div>{ctx.ui('like')} ({c.likes}) {ctx.ui('reply')} {ctx.ui('share')}</div>"
                f"{kids}</div>"
            )

        return "substack", (
            f'<div class="comments-section"><h3>{ctx.ui("discussion")}</h3>'
            f"<div>{ctx.ui('n_comments', n=count(cs))}</div>"
            f"{''.join(sitem(c) for c in cs)}</div>"
        )

    def mitem(c: Comment) -> str:
        kids = "".join(mitem(k) for k in c.children)
        return (
            f'<div class="response"><p>{html.escape(c.author)}</p>'
            f"<p>{ctx.date(c.when, 'medium')}</p><div>{ps(c)}</div>"
            f"<div>{c.likes} <button>{ctx.ui('reply')}</button></div>{kids}</div>"
        )

    return "medium", (
        f'<div class="responses"><h2>{ctx.ui("responses", n=count(cs))}</h2>'
        f"<div>{ctx.ui('thoughts')}</div>{''.join(mitem(c) for c in cs)}"
        f"<button>{ctx.ui('see_all_responses')}</button></div>"
    )


def r_guestbook(ctx: Ctx, cs: list[Comment]) -> tuple[str, str]:
    entries = flat(cs)
    rows = []
    for i, c in enumerate(reversed(entries)):
        n = len(entries) - i + ctx.rng.randint(0, 400)
        head = ctx.ui("gb_entry", n=n, name=c.author, city=city(ctx), date=ctx.at(c.when, "medium"))
        rows.append(
            f'<div class="entry"><p><b>{head}</b></p>{ps(c)}'
            f"{'<p><a>' + ctx.ui('homepage') + '</a></p>' if ctx.rng.random() < 0.4 else ''}"
            f"</div><hr>"
        )
    return "guestbook", (
        f'<div class="guestbook"><h2>{ctx.ui("guestbook")}</h2>'
        f"<p><a>{ctx.ui('sign_guestbook')}</a></p><p>{ctx.ui('pages')}: 1 2 3 »</p>"
        f"{''.join(rows)}<p>{ctx.ui('pages')}: 1 2 3 »</p></div>"
    )


RENDER: dict[str, tuple[Callable[[Ctx, list[Comment]], tuple[str, str]], int]] = {
    # family: (renderer, deepest reply level it shows)
    "wordpress": (r_wordpress, 3),
    "disqus": (r_disqus, 3),
    "wpdiscuz": (r_wpdiscuz, 2),
    "numbered": (r_numbered, 0),
    "blogger": (r_blogger, 1),
    "facebook": (r_facebook, 1),
    "openweb": (r_openweb, 2),
    "reddit_hn": (r_reddit_hn, 3),
    "news": (r_news, 1),
    "youtube": (r_youtube, 1),
    "substack_medium": (r_substack_medium, 2),
    "guestbook": (r_guestbook, 0),
}


# --- splicing into the dev-set page ----------------------------------------------------


def article_title(rec: dict[str, Any]) -> str:
    first = rec["text"].split("\n", 1)[0].strip()
    return re.split(r"\s+[|–—-]\s+", first)[0][:90] or "…"


def splice_point(rec: dict[str, Any]) -> tuple[int, str]:
    """Offset just after the article's last paragraph in ``text`` (else the page end)."""
    text = rec["text"]
    paras = [p.strip() for p in re.split(r"\n\s*\n", rec["main"]) if len(p.split()) >= 6]
    for para in reversed(paras[-3:]):
        last_line = para.splitlines()[-1].strip()
        key = last_line[-80:]
        at = text.rfind(key)
        if len(key) >= 25 and at >= 0:
            end = text.find("\n\n", at + len(key))
            return (len(text) if end < 0 else end), "after_article"
    return len(text.rstrip()), "end"


def snippets(ctx: Ctx, comment_text: str, outside: str, k: int = 5) -> list[str]:
    r = ctx.rng
    lines = [ln.strip() for ln in comment_text.splitlines() if len(ln.split()) >= 3]
    r.shuffle(lines)
    folded_outside = fold(outside)
    out: list[str] = []
    for ln in lines:
        words = _WORD.findall(ln)
        size = min(len(words), r.randint(3, 8))
        start = r.randint(0, len(words) - size)
        snip = " ".join(words[start : start + size])
        if snip not in out and fold(snip) not in folded_outside:
            out.append(snip)
        if len(out) == k:
            break
    return out


@cache
def faker(lang: str) -> Faker:
    """One generator per language (slow to build); reseeded for every record."""
    return Faker(FAKER_LOCALE[lang])


def eligible(rec: dict[str, Any]) -> bool:
    return (
        rec["page_type"] == "article"
        and len(rec["main"]) >= 400
        and len(rec["text"]) <= 120_000
        and bool(rec["with"])
    )


def build_records(
    per_cell: int = 4,
    seed: int = 13,
    families: Sequence[str] = FAMILIES,
    languages: Sequence[str] = LANGUAGES,
    source: Path | str = DEV_SET,
) -> list[dict[str, Any]]:
    """The comment dev set: ``per_cell`` pages for every family x language, deterministic."""
    pages = [r for r in load_records(source) if eligible(r)]
    rng = random.Random(seed)
    rng.shuffle(pages)
    records: list[dict[str, Any]] = []
    for family in families:
        render, max_depth = RENDER[family]
        for lang in languages:
            cell = FAMILIES.index(family) * len(LANGUAGES) + LANGUAGES.index(lang)
            for j in range(per_cell):
                # The same page and thread for a cell whatever subset is built.
                rec = pages[(cell * per_cell + j) % len(pages)]
                rs = random.Random(f"{seed}/{family}/{lang}/{j}")
                fake = faker(lang)
                fake.seed_instance(rs.randrange(2**32))
                now = datetime(2012, 1, 1) + timedelta(
                    days=rs.randrange(14 * 365), hours=rs.randrange(24)
                )
                sents = [
                    s
                    for s in _SENTENCE.split(rec["main"].replace("\n", " "))
                    if 6 <= len(s.split()) <= 30
                ]
                title = article_title(rec)
                topics = [
                    w for w in re.findall(r"\b[A-Z][a-z]{4,}\b", title) if w not in _NOT_TOPICS
                ]
                ctx = Ctx(rs, lang, fake, now, html.escape(title), sents, topics)
                comments = thread(ctx, max_depth)
                variant, markup = render(ctx, comments)
                page = f"<html><body><div class='site'>{markup}</div></body></html>"
                comment_text = html_text.extract_text(page, guess_layout=True).strip()
                at, placement = splice_point(rec)
                text = rec["text"]
                new_text = text[:at] + "\n\n" + comment_text + text[at:]
                start = at + 2
                if placement == "end":
                    new_text += "\n"
                records.append(
                    {
                        "id": f"{family}-{lang}-{j:02d}-{rec['id']}",
                        "family": family,
                        "variant": variant,
                        "language": lang,
                        "source_id": rec["id"],
                        "domain": rec.get("domain"),
                        "placement": placement,
                        "text": new_text,
                        "main": rec["main"],
                        "comment_text": comment_text,
                        "comment_start": start,
                        "comment_end": start + len(comment_text),
                        "with": list(rec["with"]),
                        "without": snippets(ctx, comment_text, text),
                    }
                )
    return records


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--per-cell", type=int, default=4, help="pages per family x language")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--dev-set", type=Path, default=DEV_SET, help="the WCXB dev set")
    ap.add_argument("--write", type=Path, help="store the set as JSON lines (.gz: gzip)")
    ap.add_argument("--show", nargs=2, metavar=("FAMILY", "LANG"), help="print one thread")
    args = ap.parse_args()
    if args.show:
        fam, lang = args.show
        recs = build_records(1, args.seed, [fam], [lang], args.dev_set)
        r = recs[0]
        print(f"# {r['id']} ({r['variant']}, {r['placement']}), without={r['without']}")
        print(r["comment_text"])
        return
    records = build_records(args.per_cell, args.seed, source=args.dev_set)
    if args.write:
        opener = gzip.open if args.write.suffix == ".gz" else open
        tmp = args.write.with_name(args.write.name + ".tmp")
        with opener(tmp, "wt", encoding="utf-8") as f:
            for rec in records:
                f.write(json.dumps(rec, ensure_ascii=False) + "\n")
        tmp.replace(args.write)
    words = sum(len(r["comment_text"].split()) for r in records)
    placed = sum(r["placement"] == "after_article" for r in records)
    print(
        f"{len(records)} records, {words} comment words, {placed} threads placed after the "
        f"article's last paragraph, {len(records) - placed} at the page end"
    )


if __name__ == "__main__":
    main()
