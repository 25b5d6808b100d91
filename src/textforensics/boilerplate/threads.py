"""Comment threads by their structure, in any of the shipped languages.

A reader-comment thread repeats one shape: a header (an author and a time: "Martin - 9
December, 2011", "Alexa • vor 2 Tagen", "u/name · 5 points · 3 hours ago", "NAME says:"),
the comment's body, then a line of controls ("Reply • Share ›", "Gefällt mir · Antworten
· 18h"). One such line proves little (a byline has a date, a share bar has "Share"); the
repetition is the evidence. The markers are looked for in all languages at once: the
widget's language need not be the page's (an English article, a German thread).

Each block is marked once per page (:func:`block_marks`); each pass groups the marks of
its active blocks into runs (:func:`thread_runs`). A run under an article (a long
paragraph well above its first header) goes whole as ``comments``, from an opener just
before it ("14 Kommentare", "Comments (23)", "Sort by Newest") to the end of the last
comment. A run with no article above it is the page's own discussion (a forum topic, a
Q&A page): its posts stay, unless the thread's own frames say it is a widget's (its count
of the comments on top and a sort or load control below; a reply control under every post
under the page's other content; a byline over an article with no controls of its own).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import regex

from .pieces import span_or_and
from .spec import LONG_WORDS


def _word_set(text: str) -> frozenset[str]:
    """The words of ``text`` (split at whitespace)."""
    return frozenset(text.split())


# Why a set of control words, not phrases: controls come in any order and combination
# ("Like · Reply · 3y", "Reply • Share ›", "Antworten Teilen Melden"), so a line is a
# control line when every word in it is a control word, a count or a compact time.
_CONTROL_WORDS = _word_set(
    """
    reply replies share report like likes unlike flag permalink recommend recommended
    upvote downvote abuse homepage website webseite sitio sito pessoal
    antworten antwort teilen melden gefällt empfehlen missbrauch zitieren punkte punkt
    bearbeiten löschen ausblenden
    responder respuesta compartir denunciar reportar gusta citar puntos recomendar editar
    répondre réponse partager signaler aime citer recommander modifier abus
    rispondi risposta condividi segnala piace cita punti consiglia modifica
    partilhar compartilhar gosto curtir pontos ponto recomendar
    ответить ответ поделиться пожаловаться нравится цитировать цитата очков очко очка жалоба
    abuso рекомендовать сообщить нарушении
    """
)
# Words allowed in a control line beside the control words ("Gefällt mir", "Me gusta",
# "J'aime", "Mi piace", "Мне нравится", "Report abuse", "Missbrauch melden"), and the
# ages' units, narrow forms too ("1 T", "2 J", "30 Sek.", "1 mês", "30 с").
_CONTROL_GLUE = _word_set(
    """
    mir me mi j мне this as a o site web página personal un une uno una о
    parent next prev previous context edit delete hide collapse expand vote votes
    points point quote award save helpful link embed translate
    s m h d w y min sec hr hrs hour hours day days week weeks month months year years ago
    t j gg sek mês с
    std tag tage tagen stunde stunden woche wochen monat monate monaten jahr jahre jahren vor
    hace hora horas día días dia dias semana semanas mes meses año años
    il y heure heures jour jours semaine semaines mois an ans
    fa ora ore giorno giorni settimana settimane mese mesi anno anni sett sem
    há anos ano
    назад час часа часов день дня дней неделю недели недель месяц месяца месяцев год года лет
    минуту минуты минут м ч д г н мин сек нед мес
    """
)
# A count or a compact age as it is after digits become 0 ("0", "0h", "0y", "0min").
_COUNT_RE = regex.compile(r"0+(?:[a-zа-я]{1,5})?\Z")

_MONTHS = _word_set(
    "january february march april may june july august september october november december"
    " jan feb mar apr jun jul aug sep sept oct nov dec"
    " abr ago"
    " januar jänner februar märz mai juni juli oktober dezember okt"
    " enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre"
    " noviembre diciembre ene"
    " janvier février fevrier mars avril juin juillet août aout septembre octobre"
    " novembre décembre decembre janv févr fevr avr juil déc"
    " gennaio febbraio aprile maggio giugno luglio settembre ottobre dicembre gen mag giu"
    " lug ott dic sett"
    " janeiro fevereiro março abril maio junho julho setembro outubro novembro dezembro"
    " fev set out dez"
    " января февраля марта апреля мая июня июля августа сентября октября ноября декабря"
    " янв фев февр мар апр июн июл авг сен сент окт ноя нояб дек"
)
_MONTH = "(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_UNIT = r"\p{L}+\.?"
# A time: a date, a clock time, or an age, in any of the shipped languages.
_TIME = (
    r"\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b"
    r"|\b\d{4}-\d{2}-\d{2}\b"
    r"|\b\d{1,2}:\d{2}\b"
    # ("5 out of 5": "out" is Portuguese October, and a rating)
    rf"|\b\d{{1,2}}\.?\s*(?:de\s+)?{_MONTH}(?:\s|,|$)(?!of\b)"
    rf"|\b{_MONTH}\s+\d{{1,4}}\b"
    r"|\b(?:\d+|an?|one|a few)\s+(?:second|minute|hour|day|week|month|year)s?\s+ago\b"
    rf"|\bvor\s+(?:\d+|einem|einer|einigen)\s+{_UNIT}"
    rf"|\bhace\s+(?:\d+|un|una|unos|unas)\s+{_UNIT}"
    rf"|\bil\s+y\s+a\s+(?:\d+|un|une|quelques)\s+{_UNIT}"
    rf"|\b(?:\d+|un|una|uno)\s+{_UNIT}\s+fa\b"
    rf"|\bhá\s+(?:\d+|um|uma)\s+{_UNIT}"
    rf"|\b\d+\s+{_UNIT}\s+(?:atrás|назад)"
    r"|\b(?:минуту|час|день|неделю|месяц|год)\s+назад"
    r"|\b(?:yesterday|gestern|ayer|hier|ieri|ontem|вчера|just now|gerade eben)\b"
    r"|(?:^|[\s·•|])\d{1,3}\s?(?:s|m|h|d|w|y|mo|min|mins|hr|hrs|yr|yrs|j|t|std|г|ч|д|мин)\b"
)
# A price ("EUR 21.28 delivery Wed, Mar 18", "$9.99", "1 299 ₽"): a product's line, not
# a commenter's, whatever date it holds.
_PRICE_RE = re.compile(
    r"[$€£¥₽]\s?\d|\d\s?(?:[$€£¥₽]|руб)|\b(?:eur|usd|gbp|chf|cad|aud|brl|rub)\s?\d"
    r"|\d\s?(?:eur|usd|gbp|chf|brl|rub)\b"
)
# "NAME says:" and its kin (Blogger's "said...", a quoted "NAME wrote:").
_SAYS = (
    r"(?:says|said|wrote|sagt|schrieb|schreibt|meint|dice|dijo|escribió|escribe|dit|a dit"
    r"|écrit|a écrit|ha scritto|ha detto|scrive|disse|diz|escreveu|gesagt|пишет|написал"
    r"|написала|написал\(а\)|сказал|сказала|говорит|комментирует)\s*(?::|\.\.\.|…)\s*\Z"
)
# Matched on the case-folded line with the standard library's engine (letters as
# [^\W\d_]): several times faster here than case-insensitive matching, same matches.
_HEADER_RE = re.compile(
    rf"(?:{_TIME})|(?:{_SAYS})".replace(r"\p{L}", r"[^\W\d_]").replace(r"\p{{L}}", r"[^\W\d_]")
)

# Cheap tests a line must pass before the header pattern runs (most short lines with a
# digit are list items, prices, scores): every alternative of the pattern but the months
# needs one of these shapes or words, which one scan finds (a date's two separators, not
# a decimal's one: "147.3 %" is no time) ...
_TIME_SHAPE_RE = re.compile(
    r"\d[./-]\d{1,2}[./-]\d|\d:\d"
    r"|\d\s?(?:s|m|h|d|w|y|mo|min|mins|hr|hrs|yr|yrs|j|t|std|г|ч|д|мин)\b"
    r"|ago\b|vor\s|hace\s|il\s+y\s+a\s|\sfa\b|há\s|atrás|назад"
    r"|yesterday|gestern|ayer|hier|ieri|ontem|вчера|just now|gerade eben"
)
# ... a date needs a month name right after or right before a digit, a whole letter run
# (looked up in a set: the pattern's month alternation is what makes it slow) ...
_DIGIT_WORD_RE = re.compile(r"\d\.?\s*(?:de\s+)?([^\W\d_]+)")
_WORD_DIGIT_RE = re.compile(r"(?<![^\W\d_])([^\W\d_]+)\.?\s+\d")
# ... and "NAME says:" a closing colon or dots.
_SAYS_ENDS = (":", "...", "…")


def could_be_header(folded: str) -> bool:
    """Whether the header pattern can match the case-folded line ``folded``: never
    false when it does (tests/test_boilerplate_threads.py), and much cheaper."""
    return (
        _TIME_SHAPE_RE.search(folded) is not None
        or not _MONTHS.isdisjoint(_DIGIT_WORD_RE.findall(folded))
        or not _MONTHS.isdisjoint(_WORD_DIGIT_RE.findall(folded))
        or folded.rstrip().endswith(_SAYS_ENDS)
    )


# The stems and shapes without which no opener pattern matches (a comment noun, a
# guestbook, a sort or load control, pagination's digits apart), looked for in the
# case-folded line: most lines with a digit are no opener, and the patterns are slow.
_OPENER_STEMS_RE = re.compile(
    r"comment|respons|repl|antwort|thought|kommentar|comentar|comentár|réponse|rispost|respost"
    r"|respuest|комментари|ответ|reaktion|reaccion|réaction|reazion|reaç|eintr|entries"
    r"|mensag|mensaj|messag|сообщени|réflexion|pensée|gedanken|pensamient|pensament"
    r"|pensier|мысл|opinion|opiniõ|мнени|guestbook|gästebuch|visitas|livre d|ospiti"
    r"|гостев|join the|sort|ordenar|trier|ordina|classificar|сортир|load|show|view|see"
    r"|facebook|plug|powered|newest|oldest|most|\d\s+\d"
)


def could_be_opener(folded: str) -> bool:
    """Whether an opener pattern can match the line whose case folding is ``folded``:
    never false when one does (tests/test_boilerplate_threads.py)."""
    return _OPENER_STEMS_RE.search(folded) is not None


# Lines that open or frame a thread: a comment count, a heading, sort and load controls.
_COMMENT_NOUN = (
    r"(?:comments?|responses?|replies|thoughts?|kommentare?|comentarios?|commentaires?"
    r"|commenti|commento|comentários?|coment[aá]rios?|respuestas|réponses|risposte|respostas"
    r"|antworten"
    r"|комментари\p{L}*|ответ\p{L}*|reaktionen|reacciones|réactions|reazioni|reações"
    r"|einträge|eintrag|entries|mensajes|messages|messaggi|mensagens|сообщени\p{L}*)"
)
# A strong opener names the comments: "14 Kommentare", "Comments (23)", "Leave a
# comment", "Ajouter un commentaire…", "Guestbook"; after one, a single header will do.
_STRONG_OPENER_RE = regex.compile(
    rf"^(?:\d+\s+{_COMMENT_NOUN}\b.*"
    rf"|{_COMMENT_NOUN}\s*:\s*\d+\b.*"
    rf"|(?:\p{{L}}+\s+){{0,3}}{_COMMENT_NOUN}\s*[(:\[]?\s*\d*\s*[)\]]?\W*"
    # (an input box's placeholder with its verb after the noun: "Kommentar hinzufügen …")
    rf"|{_COMMENT_NOUN}\s+\p{{L}}+\s*(?:…|\.\.\.)"
    r"|\d+\s+(?:thoughts?|réflexions?|pensées|gedanken|pensamientos|pensieri|pensamentos"
    r"|мысл\p{L}*|opinions?|opiniones|opinioni|opiniões|мнени\p{L}*)\s+\p{L}+\b.*"
    r"|.*\b(?:guestbook|gästebuch|libro de visitas|livre d['’]or|libro degli ospiti"
    r"|livro de visitas|гостев\p{L}+ книг\p{L}+)\b.*"
    r"|join the (?:discussion|conversation)\b.*"
    r")\s*\Z",
    regex.IGNORECASE | regex.VERSION0,
)
# A weak opener frames a thread (sort and load controls, pagination, the widget's credit)
# but also appears elsewhere: it extends a thread, never makes one.
_OPENER_RE = regex.compile(
    r"^(?:(?:pages?|seiten|páginas|pagine|страницы)?\s*:?\s*\d+(?:\s+\d+)+\s*[»›>]?"
    r"|(?:sort(?:ed)? by|sortieren nach|ordenar por|trier par|ordina per|classificar por"
    r"|сортировать|сортировка)\b.*"
    r"|(?:load|show|view|see) (?:more|all|older|previous)\b.*"
    r"|.*\bfacebook\b.*\bplug-?in\b.*|.*\bplug-?in\b.*\bfacebook\b.*"
    r"|powered by\b.*|newest|oldest|most (?:liked|recommended|voted)"
    r")\s*\Z",
    regex.IGNORECASE | regex.VERSION0,
)

# The words without which a line cannot be an opener (unless it has a digit) or a
# header (unless it has a digit or ends in a colon or dots): the patterns' key words.
_OPENER_HINTS = _word_set(
    """
    comment comments kommentar kommentare comentario comentarios commentaire commentaires
    commento commenti comentário comentários comentarios response responses replies
    respuestas réponses risposte respostas antworten thoughts reaktionen reacciones
    réactions reazioni reações einträge eintrag entries mensajes messages messaggi
    mensagens комментарий комментарии комментариев комментария ответы ответов ответа
    сообщения сообщений guestbook gästebuch libro livre livro visitas ospiti гостевая
    гостевой книга sort sorted sortieren ordenar trier ordina classificar сортировать
    сортировка load show view see facebook plugin plug powered newest oldest most join
    """
)
_TIME_HINTS = _word_set(
    """
    ago vor hace il fa há atrás назад yesterday gestern ayer hier ieri ontem вчера now eben
    минуту час день неделю месяц год
    """
)
MAX_HEADER_WORDS = 20
# A line starting with its time and this many words after it is a dated list item.
_DATED_ITEM_WORDS = 6
MAX_HEADER_CHARS = 160
# Marks of the blocks: 1 header, 2 control line, 4 opener (a block may be an opener and
# a header, "Comments (3)" is not a header; a control line is never a header).
HEADER, CONTROL, OPENER, STRONG, COUNTED = 1, 2, 4, 8, 16
# A header numbered as a list item and ending in its time ("2. Martin - 9 December,
# 2011", at most three words after the time's start): two of them make a thread.
NUMBERED = 32
# ... numbered "1." (a thread of one comment has no "2." under it).
FIRST = 256
# A strong opener that calls the posts comments ("Комментариев: 4", "5 commentaires",
# "17 Responses to", "Post a comment"), not replies, answers or messages as forums do.
NAMED = 64
_NAMED_RE = re.compile(
    r"comment|kommentar|comentar|comentár|комментар|thought|réflexion|pensée|gedanken"
    r"|pensamient|pensier|мысл|respons|reaktion|reaccion|réaction|reazion|reaç"
    r"|antworten\s*\("
)
# ... and so does a count of replies to a quoted title, WordPress's heading in every
# language ("22 respostas para “Title”", "4 réponses à « Title »", "3 ответа на «Title»"):
# replies to the page's own title are its comments.
_TITLED_RE = re.compile(r"\d+\s+[^\W\d_]+\s+[^\W\d_]+\s*[“\"«„‘'‹]")
_NUMBER_RE = re.compile(r"\d{1,4}[.)]\s")
# A header with a score or a thread's navigation in it, the shape of a Hacker-News or
# Reddit comment ("user 5 points 3 hours ago | parent | next [–]", "u/name · 12 Punkte ·
# vor 2 Std."): a vote count, or "parent"/"next" links; a forum's or a Q&A page's post
# header has neither (its votes stand beside the post, not in its author line).
SCORED = 128
_SCORED_RE = re.compile(
    r"\d\s*(?:points?|punkte?|puntos?|punti|pontos?|очк[а-я]*|балл[а-я]*)\b"
    r"|\|\s*(?:parent|next|prev|context|übergeordnet|weiter|padre|siguiente|suivant"
    r"|précédent|successivo|precedente|pai|próximo|anterior|родитель|след)\b"
)
# A line ending in a clock time and a full stop is a post's trailer ("by NAME on
# April 2, 2016 at 7:41 am."), not a sentence: prose ends in a word.
_CLOCK_END_RE = re.compile(r"\d:\d\d\s*(?:[ap]\.?m\.?\s*)?(?:\.\s*)?\Z")
# Markers further apart than this (in active blocks) belong to different runs.
_GAP = 14


# A word's thread bits: a control word; a word a control line may hold; a hint word of
# an opener; of a time. (page.py keeps them in each word's info: one lookup per word.)
WORD_CONTROL, WORD_CONTROL_OK, WORD_OPENER_HINT, WORD_TIME_HINT = 1, 2, 4, 8
WORD_BITS = 15


def thread_word_bits() -> dict[str, int]:
    """Word -> its thread bits (``WORD_*``); a word not in it has none. A line that
    :func:`block_marks` may mark has a digit (a count, "0h", has one), only words a control
    line may hold (one a control word), a hint word or a closing colon or dots."""
    bits: dict[str, int] = {}
    for words, b in (
        (_CONTROL_WORDS, WORD_CONTROL | WORD_CONTROL_OK),
        (_CONTROL_GLUE, WORD_CONTROL_OK),
        (_OPENER_HINTS, WORD_OPENER_HINT),
        (_TIME_HINTS, WORD_TIME_HINT),
    ):
        for w in words:
            bits[w] = bits.get(w, 0) | b
    return bits


def block_marks(
    contents: list[str],
    words: list[str],
    word_off: np.ndarray,
    nw: np.ndarray,
    has_digit: np.ndarray,
    word_bits: np.ndarray | None = None,
) -> np.ndarray:
    """The thread marks (``HEADER | CONTROL | OPENER`` bits) of each block; ``words``:
    the key tokens (digits as 0) of all blocks, block ``i``'s from ``word_off[i]`` to
    ``word_off[i + 1]``; ``nw`` their count; ``has_digit``: the line holds a digit (as
    it does when a word of it starts with 0, a digit run of its key).

    The patterns run only on lines that could match them (a digit, a hint word, a
    closing colon): most short lines of a page are menus, and the patterns cost more
    than all the rest of a page's stripping. ``word_bits``: each word's
    :func:`thread_word_bits`, to pass over the lines with none of those in one go
    (without: line by line, the plain reference; the same marks)."""
    n = len(contents)
    marks = np.zeros(n, dtype=np.int16)
    short_at = ((nw > 0) & (nw <= MAX_HEADER_WORDS)).nonzero()[0]
    if word_bits is None:
        short = short_at.tolist()
    else:  # ("" in a string: an empty line, if any, is left to the test below)
        lo = word_off[short_at]
        any_b, all_b = span_or_and(word_bits, lo, lo + nw[short_at])
        could = has_digit[short_at] | ((any_b & (WORD_OPENER_HINT | WORD_TIME_HINT)) != 0)
        could |= ((all_b & WORD_CONTROL_OK) != 0) & ((any_b & WORD_CONTROL) != 0)
        short = short_at[could].tolist()
        short += [i for i in short_at[~could].tolist() if contents[i][-1:] in ":.…"]
    controls, glue, count = _CONTROL_WORDS, _CONTROL_GLUE, _COUNT_RE.match
    header, opener, strong_opener = _HEADER_RE.search, _OPENER_RE.match, _STRONG_OPENER_RE.match
    off = word_off.tolist()
    digits = has_digit.tolist()
    opener_hints, time_hints = _OPENER_HINTS, _TIME_HINTS
    could, could_open = could_be_header, could_be_opener
    price = _PRICE_RE.search
    numbered = _NUMBER_RE.match
    named_re = _NAMED_RE.search
    titled = _TITLED_RE.match
    scored = _SCORED_RE.search
    ends_in_clock = _CLOCK_END_RE.search
    for i in short:
        line = contents[i]
        if len(line) > MAX_HEADER_CHARS:
            continue
        ws = words[off[i] : off[i + 1]]
        strong = False
        for w in ws:
            if w in controls:
                strong = True
            elif w not in glue and (w[0] != "0" or count(w) is None):
                break
        else:
            # ("Antworten (29)": German's reply is its noun for responses too, and a
            # count in brackets over the thread is Medium's "Responses (29)")
            if strong and not (ws[0] == "antworten" and line.rstrip().endswith(")")):
                marks[i] = CONTROL
                continue
        m = 0
        digit = digits[i]
        folded = line.casefold()
        # "16 thoughts on “A Title of Any Length”" is the one long opener
        if (
            (len(ws) <= 8 or ws[0] == "0")
            and (digit or not opener_hints.isdisjoint(ws))
            and could_open(folded)
        ):
            if strong_opener(line) is not None:
                m = OPENER | STRONG | (COUNTED if digit else 0)
                if named_re(folded) is not None or (digit and titled(folded) is not None):
                    m |= NAMED
            elif opener(line) is not None:
                m = OPENER
        # a long line ending a sentence is prose that mentions a date, not a header; so
        # is a long line whose only time is a word ("hier", German "here", French
        # "yesterday"): a header's time in words is short ("Marie · hier")
        if (
            not m
            and (digit or line[-1] in ":.…" or not time_hints.isdisjoint(ws))
            and (
                len(ws) <= 8
                or (line[-1] not in ".!?" and (digit or line[-1] in ":.…"))
                or ends_in_clock(folded)
            )
            and could(folded)
            and (at := header(folded)) is not None
            and price(folded) is None
            # a line led by its date and going on ("Sep 18 Tensors III: overcomplete
            # tensor decomposition via …") is a dated item of a list, not a header
            and (at.start() > 1 or len(folded[at.end() :].split()) < _DATED_ITEM_WORDS)
        ):
            m = HEADER
            if (num := numbered(folded)) is not None and len(folded[at.end() :].split()) <= 3:
                m |= NUMBERED | (FIRST if num.group().rstrip(".) \t") == "1" else 0)
            if scored(folded) is not None:
                m |= SCORED
        marks[i] = m
    return marks


@dataclass(frozen=True, slots=True)
class Run:
    """A thread: active blocks ``start`` to ``end`` (inclusive); ``discussion`` when no
    article stands above it (the page is the discussion: its posts stay)."""

    start: int
    end: int
    discussion: bool


def thread_runs(
    marks: np.ndarray, nw: np.ndarray, is_long: np.ndarray, scores: np.ndarray
) -> list[Run]:
    """The comment threads among the active blocks (``marks``, ``nw``, ``is_long`` and
    the blocks' content ``scores``, indexed by active block)."""
    at = ((marks & (HEADER | CONTROL)) != 0).nonzero()[0]
    if len(at) == 0:
        return []
    runs: list[Run] = []
    splits = (np.diff(at) > _GAP).nonzero()[0] + 1
    strong_at = (marks & STRONG).nonzero()[0]
    n = len(marks)
    # markers, named opener, last block, under an article's byline, split off by its prose
    groups: list[tuple[np.ndarray, int, int, bool, bool]] = []
    for group in np.split(at, splits):
        # A strong opener between two markers ("20 Comments" under an article whose
        # byline is a header too; not a lone noun, as often a label as a heading) opens
        # a thread of its own when fewer markers than make a thread come before it, with
        # a long paragraph between them and it (the article): those are judged apart.
        inner = strong_at[(strong_at > group[0]) & (strong_at < group[-1])]
        inner = inner[(nw[inner] > 1) | (marks[inner] & COUNTED != 0)]
        k = int(np.searchsorted(group, inner[0])) if len(inner) else 0
        # (or, with no article between, when the one count of the comments lies
        # between a byline, "Posted by NAME at 18:00", and a comment's header; a count
        # followed by control lines is a post's own control bar: "47 comments share
        # report"; a count per item, a listing's)
        # (a byline's lines next to each other, "Title … July 31" over "July 22, 2017",
        # count once; so does a paragraph of an article's length that ends no sentence,
        # a page's whole text on one line, as a long paragraph)
        bylines = 1 + int((np.diff(group[:k]) > 1).sum()) if k else 0
        between = slice(int(group[k - 1]), int(inner[0])) if k else slice(0)
        by_prose = 0 < bylines < 3 and bool(
            (is_long[between] | (nw[between] >= _ARTICLE_WORDS)).any()
        )
        if by_prose or (
            0 < k < 3
            and (
                is_long[group[k - 1] : inner[0]].any()
                or (
                    marks[inner[0]] & (COUNTED | NAMED) == COUNTED | NAMED
                    and marks[group[k]] & (HEADER | CONTROL) == HEADER
                    and not _counts_comments(marks[inner[0] + 1 : group[-1] + 1])
                )
            )
        ):
            groups += [
                (group[:k], -1, int(inner[0]) - 1, False, False),
                (group[k:], int(inner[0]), n - 1, False, by_prose),
            ]
        elif (c := _thread_count_within(marks, nw, group, inner)) >= 0:
            # a count of the comments with a comment's header under it, the group's only
            # one, after more markers than a byline has (a dated list's items above a
            # blog's "6 commenti:"): the list and the thread are judged apart
            k = int(np.searchsorted(group, c))
            groups += [(group[:k], -1, c - 1, False, False), (group[k:], c, n - 1, False, False)]
        elif _byline_over_thread(marks, nw, is_long, scores, group):
            k = 1 + int((np.diff(group) == 1).cumprod().sum())  # the byline and its controls
            groups += [
                (group[:k], -1, int(group[k]) - 1, False, False),
                (group[k:], -1, n - 1, True, False),
            ]
        else:
            groups.append((group, -1, n - 1, False, False))
    for group, named, limit, under_byline, after_prose in groups:
        kinds = marks[group]
        # Headers next to each other are one comment's ("NAME says:" over its date) or
        # a list of dates and facets ("Up to 9 h", "10 to 14 h"): they count once.
        heads = group[(kinds & HEADER) != 0]
        n_head = int(len(heads) - (np.diff(heads) == 1).sum())
        n_ctrl = int(((kinds & CONTROL) != 0).sum())
        first, last = int(group[0]), int(group[-1])
        gaps = np.diff(group)
        span = int(np.median(gaps)) if len(gaps) else 1
        # Where every marker is a control line (the time sits in "Like · Reply · 3d"),
        # a comment's body comes before its marker: the first one lies between the
        # opener and the first marker, so the opener is looked for as far as a marker
        # would still join the group.
        reach = _GAP if n_head == 0 else max(8, 2 * span)
        opener = named if named >= 0 else _opener_before(marks, nw, first, reach)
        # (so too where the first marker is a control line, its body above it, for a
        # count of the comments: "33 Kommentare"; a Q&A page's "3 Answers" is no widget's)
        if opener < 0 and reach < _GAP and marks[first] & CONTROL:
            far = _opener_before(marks, nw, first, _GAP)
            if far >= 0 and marks[far] & (COUNTED | NAMED) == COUNTED | NAMED:
                opener = far
        # (and further, for a widget's head: its count of the comments over its input
        # box, "Комментариев: 5" over "Добавьте комментарий...", then the first author;
        # the first comment may be longer than the gap between markers)
        if opener < 0 and marks[first] & CONTROL:
            opener = _widget_head_before(marks, nw, is_long, first)
        # Three markers repeat the shape; after a strong opener ("3 Comments") one will do.
        strong = opener >= 0 and bool(marks[opener] & STRONG)
        numbered = group[(kinds & NUMBERED) != 0]
        if len(numbered) >= 2 and (np.diff(numbered) > 1).all():
            n_head = max(n_head, 3)
        # (or one comment numbered "1." with none after it, under an article: a list
        # numbered from 1 with no 2 is a thread of one comment)
        lone = len(group) == 1 and bool(kinds[0] & FIRST) and nw[first] < LONG_WORDS
        if not (n_head >= 3 or n_ctrl >= 3 or (n_head >= 2 and n_ctrl >= 2) or strong or lone):
            continue
        start = opener if opener >= 0 else _author_line(marks, nw, is_long, first)
        longest_comment = int(gaps.max()) if len(gaps) else 1  # in blocks
        end = min(_body_after(marks, nw, scores, last, span, longest_comment), limit)
        if runs and start <= runs[-1].end:
            # the thread before ran on through openers up to this one's first lines
            start = runs[-1].end + 1
            if start > last:
                continue
        # Under an article the thread goes; on a page that is the discussion (no article
        # above; or, without an opener naming comments, a first post no longer than
        # the posts after it) the posts stay.
        # (above a thread split off at its opener, the headers are a byline's: no post)
        article, longest = _article_words(marks, nw, scores, first, posts_from=max(named, 0))
        # (split off under a byline and the article's prose: that prose, whatever it
        # scores, is the article; the model may score a page's text on one line low)
        if after_prose:
            long_text = is_long | (nw >= _ARTICLE_WORDS)
            article = max(article, _article_words(marks, nw, long_text * 1.0, first, named)[0])
        posts = int(nw[start : end + 1][is_long[start : end + 1]].sum())
        is_article = article >= _ARTICLE_WORDS and (strong or article >= posts)
        # A short article: an opener naming the comments between it and the thread, and
        # a paragraph at least twice as long as a comment usually is; or, under an opener
        # that counts them ("26 Comments"; a lone "Comments" is as often a listing's
        # label), fewer words, or the article three times as long as a comment (a
        # forum's first post sits under a header of the posts' shape: no article here).
        per_post = posts / max(1, n_head, n_ctrl)
        is_article |= strong and article >= _SHORT_ARTICLE_WORDS and longest >= 2 * per_post
        is_article |= (
            strong
            and bool(marks[opener] & COUNTED)
            and article >= _COUNTED_ARTICLE_WORDS
            and (longest >= 2 * per_post or article >= 3 * per_post)
        )
        # A widget names its thread: a count of the comments on top of it (no post above
        # the count, as a forum topic's first post is), one count only (a listing
        # counts each item's comments) and a second frame of its own below (sort or
        # load controls, "Post a comment", or a control line under every post).
        is_article |= (
            opener >= 0
            and marks[opener] & (COUNTED | NAMED) == COUNTED | NAMED
            and not _counts_comments(marks[opener + 1 : end + 1])
            and (
                bool((marks[first + 1 : min(n, end + 4)] & OPENER).any())
                or n_ctrl >= max(3, n_head - 1)
            )
        )
        is_article |= under_byline
        # Hacker-News or Reddit comments (the group's first two headers hold a score or
        # "parent | next") under an article go, however short it is and however much
        # longer than it they are: a forum's or a Q&A page's post headers have no
        # score, and an item page's own post sits under its story's header ("128 points
        # by NAME 3 hours ago"), a post then, not an article.
        # One scored header will do under a strong opener ("Комментариев: 1"). As for
        # numbered comments, the article may be long paragraphs of any score.
        # (such a header holds its author: the block above it is the article's)
        # (headers shorter than a long paragraph: no line of a text the stripper's gate
        # passes, gate.py)
        two = heads[:2]
        if (
            not is_article
            and (len(two) == 2 or (len(two) == 1 and strong))
            and np.bitwise_and.reduce(marks[two]) & SCORED
            and nw[two].max() < LONG_WORDS
        ):
            above = _article_words(marks, nw, scores, first + 2, posts_from=max(named, 0))[0]
            by_length = _article_words(marks, nw, is_long * 1.0, first + 2, max(named, 0))[0]
            is_article = above >= _SHORT_ARTICLE_WORDS or by_length >= _ARTICLE_WORDS
        # Comments numbered as a list ("1. NAME – Apr 29, 2016") under an article of
        # some length: a forum numbers its posts "#1", under the posts' own headers.
        # (a numbered header holds its author: the block above it is the article's)
        # So are they right under a count that names them ("3 commenti"), whatever is
        # above it.
        # (the article by its paragraphs' length, whatever they score: the classifier
        # may take a terms page's prose for chrome, and its thread for the content)
        if len(numbered) >= 2 and not is_article:
            above = _article_words(marks, nw, scores, first + 2, posts_from=max(named, 0))[0]
            by_length = _article_words(marks, nw, is_long * 1.0, first + 2, max(named, 0))[0]
            by_length *= int(nw[numbered].max() < LONG_WORDS)
            is_article = (
                above >= _SHORT_ARTICLE_WORDS
                or by_length >= _ARTICLE_WORDS
                or (opener >= 0 and bool(marks[opener] & NAMED) and first - opener <= 2)
            )
        if lone and not is_article:
            above = _article_words(marks, nw, scores, first + 2, posts_from=max(named, 0))[0]
            if above < _ARTICLE_WORDS:
                continue
            is_article = True
        # Under a page of another shape (a catalogue's lines, a product's blocks, a
        # portfolio's blurbs: content by their score, however short) with more words
        # than the thread's posts, a thread whose every post has its own control line
        # (a widget's "Reply") is that page's comments; a forum topic's posts are the
        # page's content, with no more of it above them than its title and rules.
        if not is_article and n_ctrl >= max(3, n_head - 1):
            lo = runs[-1].end + 1 if runs else 0
            content = _article_words(marks, nw, scores, first, lo, _CONTENT_LINE_WORDS, lo)[0]
            is_article = content >= max(_ARTICLE_WORDS, posts)
        # A comment too long for the gap between markers splits a thread whose bodies
        # come before their control lines ("Нравится · Ответить · 3 н."): when the run
        # before went too, under a count of the comments, and ended at a control line,
        # with nothing marked in between, the blocks between them are this run's first
        # comment. So are they where the run before ended in a comment's prose (its
        # last comment, header first, ran on past the blocks a last comment may take):
        # the rest of that comment, whose control line opens this run.
        if (
            is_article
            and runs
            and not runs[-1].discussion
            and marks[runs[-1].start] & (COUNTED | NAMED) == COUNTED | NAMED
            and marks[first] & CONTROL
            and (marks[runs[-1].end] & CONTROL or not marks[runs[-1].end])
            and not marks[runs[-1].end + 1 : first].any()
        ):
            start = runs[-1].end + 1
        runs.append(Run(start, end, discussion=not is_article))
    return runs


def _counts_comments(marks: np.ndarray) -> bool:
    """Whether ``marks`` hold a count of comments (a listing's "14 comments" under each
    item; "2 réponses" under a comment counts its replies)."""
    return bool((marks & (COUNTED | NAMED) == COUNTED | NAMED).any())


def _thread_count_within(
    marks: np.ndarray, nw: np.ndarray, group: np.ndarray, inner: np.ndarray
) -> int:
    """The block of the one count of the comments in ``group`` ("6 commenti:", among the
    strong openers ``inner`` between its markers) after at least three markers, with a
    header right under it, through short lines at most (a sort control, the author:
    "Most recommended Newest Oldest", "Dana, Lake Dawnhaven"); -1 when there is none."""
    named = inner[marks[inner] & (COUNTED | NAMED) == COUNTED | NAMED]
    if len(named) != 1:
        return -1
    c = int(named[0])
    k = int(np.searchsorted(group, c))
    if k < 3 or not marks[group[k]] & HEADER or group[k] - c > _HEAD_LINES + 1:
        return -1
    if (nw[c + 1 : group[k]] > _HEAD_LINE_WORDS).any():
        return -1
    if int((marks[group[0] : group[-1] + 1] & (COUNTED | NAMED) == COUNTED | NAMED).sum()) != 1:
        return -1
    return c


def _byline_over_thread(
    marks: np.ndarray, nw: np.ndarray, is_long: np.ndarray, scores: np.ndarray, group: np.ndarray
) -> bool:
    """Whether the first marker of ``group`` is an article's byline ("On Behalf of NAME |
    Apr 21, 2017", "[Submitted on 18 Dec 2025]") over the article, with a thread under
    it: prose of an article's length between it and the next header, no control line
    there, and a control line under every later post. A forum topic's or a question's
    first post has the controls the replies have ("Reply", "Share", "Quote"); an item
    page's story has a score in its header, as its comments have."""
    # (the byline's own controls right under it, "Dec 16, 2025" over "Share", are its)
    k = 1
    while k < len(group) and group[k] == group[k - 1] + 1:
        k += 1
    if len(group) - k < 3 or marks[group[0]] & CONTROL or not marks[group[k]] & HEADER:
        return False
    # (a story's header with its score over the text, "128 points by NAME 5 hours ago",
    # and the comments' with theirs: an item page, its post and its comments)
    if marks[group[0]] & marks[group[k]] & SCORED:
        return False
    a, b = int(group[k - 1]) + 1, int(group[k])
    body = is_long[a:b] & (scores[a:b] >= 0.5)
    if int(nw[a:b][body].sum()) < _SHORT_ARTICLE_WORDS:
        return False
    rest = group[k:]
    kinds = marks[rest]
    heads = rest[(kinds & HEADER) != 0]
    n_head = len(heads) - int((np.diff(heads) == 1).sum())
    ctrls = rest[(kinds & CONTROL) != 0]
    # a post's controls under its body, not right under its header as the byline's
    under_body = int((~np.isin(ctrls - 1, heads)).sum())
    return under_body >= max(3, n_head - 1)


# The blocks a thread's last comment may run to without a marker after it, at least.
_LAST_BODY = 8
# ... through blocks that score at least this (a page's chrome after a thread, "Related
# articles", "Image: …", scores near 0; a comment's prose near 1; the first pass scores
# a page's last blocks lower than later passes do).
_BODY_SCORE = 0.3
# An article above a thread: this many words in long paragraphs that are not posts;
# with an opener naming comments, this many and a paragraph longer than the posts.
_ARTICLE_WORDS = 150
_SHORT_ARTICLE_WORDS = 50
_COUNTED_ARTICLE_WORDS = 40
# A line of a page's content of another shape than an article's: this many words.
_CONTENT_LINE_WORDS = 4
# A reply form under a thread: at most this many blocks of at most this many words.
_FORM_BLOCKS = 10
_FORM_LINE_WORDS = 20


def _article_words(
    marks: np.ndarray,
    nw: np.ndarray,
    scores: np.ndarray,
    first: int,
    posts_from: int = 0,
    min_words: int = 12,
    lo: int = 0,
) -> tuple[int, int]:
    """The words of an article above the thread's first marker (from block ``lo`` on),
    and of its longest paragraph: of its paragraphs (``min_words`` words or more,
    content by their score) not within four blocks after a header from ``posts_from``
    on (those are posts of the page's own discussion, a forum topic's first post)."""
    stop = max(first - 2, 0)
    longs = ((nw[lo:stop] >= min_words) & (scores[lo:stop] >= 0.5)).nonzero()[0] + lo
    if not len(longs):
        return 0, 0
    heads = (marks[posts_from:stop] & HEADER).nonzero()[0] + posts_from
    if len(heads):
        prev = np.searchsorted(heads, longs, side="left") - 1
        posts = (prev >= 0) & (longs - heads[np.maximum(prev, 0)] <= 4)
        longs = longs[~posts]
    words = nw[longs]
    return int(words.sum()), int(words.max()) if len(words) else 0


# Between a count of the comments and the first header: this many lines at most, of at
# most this many words each (sort controls, the author's name and place).
_HEAD_LINES = 3
_HEAD_LINE_WORDS = 8
# A widget's head with its input box: at most this many blocks above the first marker.
_HEAD_REACH = 3 * _GAP


def _widget_head_before(marks: np.ndarray, nw: np.ndarray, is_long: np.ndarray, first: int) -> int:
    """The nearest count of the comments above the first marker with an input box that
    names them right under it and then a short author line ("Комментариев: 5", "Добавьте
    комментарий...", "kazimir_24"), through unmarked blocks (-1 when there is none)."""
    for j in range(first - 1, max(first - 1 - _HEAD_REACH, -1), -1):
        m = marks[j]
        if m & (HEADER | CONTROL):
            return -1
        if m & (COUNTED | NAMED) != COUNTED | NAMED or j + 2 >= first:
            continue
        box = j + 1 + int(nw[j + 1] == 0)
        if marks[box] & NAMED and 0 < nw[box + 1] <= 4 and not is_long[box + 1]:
            return j
    return -1


def _opener_before(marks: np.ndarray, nw: np.ndarray, first: int, reach: int) -> int:
    """The earliest opener above the first marker (-1 when there is none): a weak one up
    to eight blocks above through short lines, a strong one up to ``reach`` blocks above
    through anything (a first comment's body above its controls)."""
    start = -1
    short_path = True
    for j in range(first - 1, max(first - 1 - reach, -1), -1):
        m = marks[j]
        if m & (HEADER | CONTROL):
            break
        if m & STRONG or (m & OPENER and short_path and first - j <= 8):
            start = j
        elif nw[j] > 8:
            short_path = False
    return start


def _author_line(marks: np.ndarray, nw: np.ndarray, is_long: np.ndarray, first: int) -> int:
    """The thread's first block without an opener: the author line just above a first
    header (a two-line header), else the first marker."""
    if first > 0 and 0 < nw[first - 1] <= 4 and not is_long[first - 1] and not marks[first - 1]:
        return first - 1
    return first


def _body_after(
    marks: np.ndarray, nw: np.ndarray, scores: np.ndarray, last: int, span: int, longest: int
) -> int:
    """Where the thread ends: its last control line, or the body of its last comment (as
    many blocks as a comment's header-to-next-marker stretch usually spans, on through
    prose as far as the longest comment of the thread or ``_LAST_BODY`` blocks, or up to
    a closing frame), then any trailing openers and controls ("Load more comments")."""
    n = len(marks)
    end = last
    if not marks[last] & CONTROL:
        end = min(n - 1, last + max(span, 1))
        while end > last and nw[end] == 0:
            end -= 1
        # The last comment may run to several paragraphs (nothing after it marks its
        # end): its prose goes on until the page's own chrome, which scores low.
        reach = min(n - 1, last + max(longest, _LAST_BODY))
        while end < reach and not marks[end + 1] and scores[end + 1] >= _BODY_SCORE:
            end += 1
        # a frame closing the thread ("Pages: 1 2 3 »", "Load more comments") a little
        # further on, with no marker before it, ends a last comment longer than most
        for j in range(end + 1, min(n, last + _GAP + 1)):
            if marks[j] & (HEADER | CONTROL | STRONG):
                break
            if marks[j] & OPENER:
                end = j
                break
    j = end + 1
    while j < n and (marks[j] & (OPENER | CONTROL) or nw[j] == 0):
        end = j if nw[j] else end
        j += 1
    # The reply form under the thread ("Laisser un commentaire Annuler la réponse", the
    # e-mail notice, "Commentaire *", the fields, "Publicar comentário"): short lines
    # up to a last opener naming the comments a few blocks on.
    form = end
    for j in range(end + 1, min(n, end + _FORM_BLOCKS + 1)):
        if marks[j] & (HEADER | CONTROL) or nw[j] > _FORM_LINE_WORDS:
            break
        if marks[j] & NAMED:
            form = j
    return form
