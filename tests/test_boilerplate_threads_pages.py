"""Comment threads by page structure (boilerplate/threads.py), second part: a byline over
an article, threads with controls under every post, numbered comments, widgets' heads, reply
forms and counts that split a dated list from its thread (the rules of sessions 8 and 9;
the marks and the basic threads are in test_boilerplate_threads.py)."""

from __future__ import annotations

import pytest

import textforensics as tf
from test_boilerplate_threads import ARTICLE, SHOP, _marks, _thread
from textforensics.boilerplate.threads import HEADER, NAMED

HN_POSTS = [
    (f"{name} {k} points {k} days ago | parent | next [–]", body, "reply")
    for k, (name, body) in enumerate(
        [
            ("jasonw", "Can you recommend a good book on the subject? Keep it up!"),
            ("brownjames", "It would have been nice to see some numbers to back this up."),
            ("lorikelly", "Honestly I think the author is missing the bigger picture here."),
            ("marcus_f", "We tried this last summer and it worked out better than we expected."),
        ],
        start=1,
    )
]


@pytest.mark.parametrize("share", [False, True])
def test_an_article_under_its_byline_is_no_first_post(share: bool) -> None:
    # The byline (with its own share control right under it) has no control under its
    # prose, while every comment has one: the article is no forum topic's first post.
    article = ARTICLE.split("\n\n")[1:4]  # 117 words: fewer than the comments' words
    byline = "On Behalf of Town Gazette | Apr 21, 2017 | Local news" + (
        "\n\nShare" if share else ""
    )
    text = (
        "A Quiet Town Gets Its First Library\n\n"
        + byline
        + "\n\n"
        + "\n\n".join(article)
        + "\n\n"
        + _thread(HN_POSTS * 2)
        + "\n"
    )
    r = tf.strip_boilerplate(text)
    for para in article:
        assert para in r.text
    for _, body, _ in HN_POSTS:
        assert body not in r.text


def test_a_forum_topic_with_controls_under_every_post_keeps_its_first_post() -> None:
    # a forum's first post has the controls the replies have: no byline over an article
    first = ARTICLE.split("\n\n")[1:4]
    text = (
        "Which Linux for a home server?\n\nrob_k 3 points 3 days ago | parent | next [–]\n\n"
        + "\n\n".join(first)
        + "\n\nreply\n\n"
        + _thread(HN_POSTS * 2)
        + "\n"
    )
    r = tf.strip_boilerplate(text)
    assert not [b for b in r.removed if b.message.startswith("comment thread")]


def test_two_numbered_comments_under_a_short_article_go() -> None:
    intro = (
        "The Agency is the student machine learning club of the university. Founded in "
        "2015, it runs reading groups, workshops and a yearly project fair, and it helps "
        "its members find research groups and internships on and off campus every term. "
        "Meetings are open to every student, whatever their major or year of study."
    )  # 54 words
    text = (
        "The Agency\n\n"
        + intro
        + "\n\n1. ithompson – Apr 29, 2016\n\n"
        + "The second point is the one nobody talks about, and it matters more than the "
        + "rest. Where can I find the original study?\n\n"
        + "2. Holly40 – Apr 29, 2016\n\n"
        + "My grandfather used to say the same thing when we were growing up on the farm.\n"
    )
    r = tf.strip_boilerplate(text)
    assert intro in r.text
    for word in ("ithompson", "nobody talks", "Holly40", "grandfather"):
        assert word not in r.text


_FB_DE_LINES = [
    "Wo finde ich die ursprüngliche Studie? Könnt ihr ein gutes Buch zum Thema empfehlen?",
    "Wir haben das letzten Sommer ausprobiert und es lief besser als erwartet bei uns.",
    "Gibt es dazu inzwischen neue Informationen aus dem Rathaus oder von der Zeitung?",
    "Der zweite Punkt wird viel zu selten diskutiert, dabei ist er der wichtigste hier.",
    "Ich verfolge das Thema seit Jahren und das ist die klarste Zusammenfassung bisher.",
    "Alle wiederholen das, ohne je nachzuprüfen, woher es eigentlich kommt, leider.",
    "Mein Großvater hat dasselbe gesagt, als wir noch auf dem Land gewohnt haben.",
    "Unsere Gemeinde hat etwas Ähnliches versucht, und es war monatelang ein Chaos.",
]


def _fb_de(first: list[str], *, quoted: bool = False) -> str:
    """A Facebook plugin's thread (bodies above their control lines) under ARTICLE,
    its first comment of the paragraphs ``first``."""
    rest = [
        f"{name}\n\nSehe ich genauso.\n\nGefällt mir · Antworten · 2 · 14h"
        for name in ("Peggy P.", "Jonas", "Rita", "Anke")
    ]
    if quoted:  # a reply quoting its parent: a header among the control lines
        rest[1] = "Jonas\n\nPeggy P. schrieb:\n\nSehe ich genauso.\n\n" + (
            "Gefällt mir · Antworten · 14h"
        )
    return (
        ARTICLE
        + "\n\n33 Kommentare Sortieren nach: Neueste\n\nKommentar hinzufügen …\n\n"
        + "Michaele4\n\nFachinformatiker · Hamburg\n\n"
        + "\n\n".join(first)
        + "\n\nGefällt mir · Antworten · 1 · 14h\n\n"
        + "\n\n".join(rest)
        + "\n"
    )


def test_a_long_first_comment_above_its_control_line_goes_with_a_header_below() -> None:
    # (the count ten blocks above the first control line; a header further down)
    text = _fb_de(_FB_DE_LINES[:6], quoted=True)
    r = tf.strip_boilerplate(text)
    for line in _FB_DE_LINES[:6]:
        assert line not in r.text
    assert "Sehe ich genauso" not in r.text
    assert "during the week." in r.text


def test_a_comment_longer_than_the_marker_gap_does_not_split_its_thread() -> None:
    # two short comments, one of sixteen paragraphs, then short ones: two runs, both
    # going; the long comment between them goes with them
    short = "\n\n".join(
        f"{name}\n\nGenau.\n\nGefällt mir · Antworten · 3 · 14h" for name in ("Ida", "Tim")
    )
    long_comment = "\n\n".join(["Ole Berg", "Trader · Kiel", *(_FB_DE_LINES * 2)])
    text = _fb_de([short, long_comment])
    r = tf.strip_boilerplate(text)
    for line in _FB_DE_LINES:
        assert line not in r.text
    assert "Sehe ich genauso" not in r.text
    assert "during the week." in r.text


# Session 9: the comment cells of seeds 71, 83 and 97.


@pytest.mark.parametrize(
    ("line", "header"),
    [
        ("Marie · hier", True),
        ("Marie Dupont a répondu hier à 18 h 30", True),
        # a long line whose only time is "hier" (German "here") is prose
        ("Ich arbeite in der Branche und kann bestätigen, dass das meiste hier stimmt. VG", False),
        ("Na ja, ehrlich gesagt übersieht der Autor hier das Problem. https://example.de/x", False),
    ],
)
def test_a_long_line_whose_only_time_is_a_word_is_no_header(line: str, header: bool) -> None:
    assert bool(_marks(line)[0] & HEADER) == header


def _wpdiscuz_de(bodies: list[str]) -> str:
    posts = "\n\n".join(
        f"{name}\n\nvor {k + 2} Tagen\n\n{body}\n\n0\n\nAntworten"
        for k, (name, body) in enumerate(
            zip(("lieschen54", "Sigurd", "Margrit", "Clara20"), bodies, strict=True)
        )
    )
    return SHOP + "\n\n4 Kommentare\n\nMeistbewertet\n\n" + posts + "\n\nLinks\n\nImpressum\n"


def test_prose_saying_hier_does_not_keep_a_counted_thread() -> None:
    # two comments' lines say "hier": read as headers they outnumbered the control
    # lines, and the thread under a page with no article stayed as a forum topic's
    bodies = [
        "Unsere Gemeinde hat etwas Ähnliches versucht, und es war monatelang ein Chaos.",
        "Das deckt sich mit meinen Erfahrungen.\n\n"
        "Na ja, ehrlich gesagt übersieht der Autor hier das eigentliche Problem. Schade",
        "Mein Großvater hat das früher auch gesagt.\n\n"
        "Ich arbeite in der Branche und kann bestätigen, dass das meiste hier stimmt. VG",
        "Könnt ihr ein gutes Buch zum Thema empfehlen? Wir haben das ausprobiert.",
    ]
    r = tf.strip_boilerplate(_wpdiscuz_de(bodies))
    for body in bodies:
        for line in body.split("\n\n"):
            assert line not in r.text


_FR_FORM = (
    "Laisser un commentaire Annuler la réponse\n\n"
    "Votre adresse e-mail ne sera pas publiée. Les champs obligatoires sont indiqués avec *\n\n"
    "Commentaire *\n\nNom *\n\nE-mail *\n\nSite web\n\n"
    "Enregistrer mon nom, mon e-mail et mon site dans le navigateur pour mon prochain "
    "commentaire.\n\nLaisser un commentaire"
)


def test_the_reply_form_under_a_thread_goes_with_it() -> None:
    posts = "\n\n".join(
        f"{name} dit :\n\n14 mars 2012 à 0{k}:44\n\n{body}\n\nRépondre"
        for k, (name, body) in enumerate(
            [
                ("Isabelle Germain", "Intéressant, merci."),
                ("Alphonse David", "J’adore, vraiment."),
                ("dominique", "Tout le monde répète cela sans jamais vérifier d’où ça vient."),
            ]
        )
    )
    text = ARTICLE + "\n\n3 réponses à « A Quiet Town »\n\n" + posts + "\n\n" + _FR_FORM
    text += "\n\nRelated Posts:\n\nA Second Library Opens\n"
    r = tf.strip_boilerplate(text)
    assert "during the week." in r.text
    for line in ("Votre adresse", "Enregistrer mon nom", "Annuler la réponse", "Intéressant"):
        assert line not in r.text
    gone = {text[b.start : b.end].strip(): b.message for b in r.removed}
    assert gone["Enregistrer mon nom, mon e-mail et mon site dans le navigateur pour mon "
                "prochain commentaire."].startswith("comment thread")  # fmt: skip


@pytest.mark.parametrize(
    ("line", "named"),
    [
        ("22 respostas para “Custom Skincare Sets & Promo Terms”", True),
        ("4 réponses à « Top Strategies to Optimize »", True),
        ("3 ответа на «Как выбрать ноутбук»", True),
        ("3 risposte a “La nuova biblioteca”", True),
        ("12 respuestas", False),  # a forum's count of replies
    ],
)
def test_a_count_of_replies_to_a_quoted_title_names_the_comments(line: str, named: bool) -> None:
    assert bool(_marks(line)[0] & NAMED) == named


def test_a_titled_reply_count_opens_a_thread_under_a_page_with_no_article() -> None:
    # (the page's terms, one long paragraph each, score as navigation: no article)
    posts = "\n\n".join(
        f"{name} disse:\n\n18 de setembro de 2020 às 1{k}:06\n\n{body}\n\nResponder"
        for k, (name, body) in enumerate(
            [
                ("isis17", "Salvo, obrigado pela dica."),
                ("Kaique", "Quando me mudei para o exterior aprendi isso do jeito difícil."),
                ("Maria Liz", "O segundo ponto é o que ninguém comenta, e é o mais importante."),
            ]
        )
    )
    form = (
        "Deixe um comentário Cancelar resposta\n\nComentário *\n\nNome *\n\nE-mail *\n\n"
        "Publicar comentário"
    )
    text = SHOP + "\n\n3 respostas para “Gift Sets”\n\n" + posts + "\n\n" + form + "\n\nContact\n"
    r = tf.strip_boilerplate(text)
    for word in ("Salvo", "jeito difícil", "ninguém comenta"):
        assert word not in r.text


_BLURB = (
    " The event brings together customers, partners and experts for sessions on the "
    "products of the coming year, with workshops, talks and a hall full of exhibitors."
)
EVENTS = "\n\n".join(
    f"{name}: {month} {day}-{day + 2}, 2026 | Las Vegas, NV\n\n{blurb}{_BLURB}"
    for name, month, day, blurb in [
        ("Cloud Next", "April", 22, "Join us to see the latest cloud products and launches."),
        ("Knowledge", "May", 5, "The latest developments in the IT world and best practices."),
        ("Tech World", "May", 18, "Learn new ways to adapt, transform and scale your teams."),
        ("Cisco Live", "June", 1, "An opportunity to learn about network products and services."),
    ]
)


def test_a_comment_count_under_a_dated_list_splits_the_thread_from_it() -> None:
    # the list's dated items and the blog's thread chain into one group of markers: the
    # count of the comments between them judges them apart (the list stays)
    bodies = [
        "Il nostro comune ha fatto qualcosa di simile ed è stato un disastro per mesi.",
        "Qualcuno sa se vale anche in Svizzera? Lavoro nel settore e confermo tutto.",
        "Seguo l’argomento da anni e questo è il riassunto più chiaro che abbia letto.",
    ]
    posts = "\n\n".join(
        f"{name} ha detto...\n\n{body}\n\n22 ottobre 2013 alle 23:0{k}"
        for k, (name, body) in enumerate(
            zip(("Raffaele", "Livia M.", "Eva Taliani"), bodies, strict=True)
        )
    )
    text = (
        ARTICLE
        + "\n\n"
        + EVENTS
        + "\n\nPubblicato da Francesca38 alle 04:00\n\n3 commenti:\n\n"
        + posts
        + "\n\nPosta un commento\n\nHome page\n"
    )
    r = tf.strip_boilerplate(text)
    assert "during the week." in r.text
    assert "Join us to see the latest cloud products" in r.text
    assert "An opportunity to learn about network products" in r.text
    for body in bodies:
        assert body not in r.text


def test_numbered_comments_under_their_named_count_go_with_no_article_above() -> None:
    comments = [
        ("Fabrizio Foconi", "Ci sono novità rispetto all’anno scorso?"),
        ("Fabrizia Iacovelli", "Qualcuno sa se vale anche in Svizzera?"),
        ("pompeo_ceci", "Bel post. Passate dal mio blog per altri consigli."),
    ]
    thread = "\n\n".join(
        f"{k}. {name}, {k} marzo 2010\n\n{body}" for k, (name, body) in enumerate(comments, 1)
    )
    text = SHOP + "\n\nContact Us\n\n3 commenti\n\n" + thread + "\n"
    r = tf.strip_boilerplate(text)
    for name, body in comments:
        assert name not in r.text
        assert body not in r.text


def test_a_first_comment_longer_than_the_gap_goes_under_the_widgets_head() -> None:
    # the first comment (16 paragraphs) above its control line, the count of the
    # comments and the input box above it, more than the marker gap away
    text = _fb_de(_FB_DE_LINES * 2)
    r = tf.strip_boilerplate(text)
    for line in _FB_DE_LINES:
        assert line not in r.text
    assert "Michaele4" not in r.text
    assert "during the week." in r.text


def test_a_count_at_the_top_of_an_article_does_not_take_it_into_the_thread() -> None:
    # "33 Kommentare" over the title and an article longer than the marker gap, a
    # control-line thread under it: no input box under the count, so the article stays
    paras = ARTICLE.split("\n\n")
    text = (
        "33 Kommentare\n\n"
        + "\n\n".join([*paras, *paras[1:], *paras[1:]])
        + "\n\n"
        + "\n\n".join(
            f"{name}\n\nSehe ich genauso.\n\nGefällt mir · Antworten · 2 · 14h"
            for name in ("Peggy P.", "Jonas", "Rita", "Anke")
        )
        + "\n"
    )
    r = tf.strip_boilerplate(text)
    for para in paras[1:]:
        assert para in r.text


def test_a_count_under_a_dated_list_opens_its_thread_through_a_sort_line() -> None:
    # between the count and the first header: the sort control and the author's line
    bodies = [
        "Not sure why everyone is so surprised, this was obvious ten years ago, right?",
        "My grandfather used to say the same thing when we were growing up on the farm.",
        "Has anybody tried this with kids? It would have been nice to see some numbers.",
    ]
    posts = "\n\n".join(
        f"{name}, Lake Dawnhaven\n\nFeb 21, 2015 {k}:09 PM\n\n{body}\n\n"
        + "Recommend (1) Report abuse Reply"
        for k, (name, body) in enumerate(zip(("Dana", "Mario C.", "Sean"), bodies, strict=True))
    )
    text = (
        ARTICLE
        + "\n\n"
        + EVENTS
        + "\n\nComments (3)\n\nMost recommended Newest Oldest\n\n"
        + posts
        + "\n\nShow more comments\n\nHome\n"
    )
    r = tf.strip_boilerplate(text)
    assert "during the week." in r.text
    assert "Join us to see the latest cloud products" in r.text
    gone = {text[b.start : b.end].strip(): b.message for b in r.removed}
    for body in bodies:
        assert gone[body].startswith("comment thread")
