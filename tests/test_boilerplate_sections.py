"""Sections under a page's content (boilerplate/sections.py): reviews, legal text and
"customers also bought" go from their heading to the next heading of their rank; menus,
a policy's own page and a press quote under "Reviews" are left alone."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import textforensics as tf
from textforensics.boilerplate.phrases import edge_strip, line_key, section_headings
from textforensics.boilerplate.sections import (
    MIN_WORDS_ABOVE,
    SECTION_KINDS,
    heading_kind,
    section_spans,
)

DESCRIPTION = [
    "Trail Runner 25 Daypack",
    "This daypack carries everything you need for a long day on the trail, with a padded "
    "back panel, a hydration sleeve and two stretch pockets that hold a bottle each.",
    "The frame sheet spreads the load across your hips, so the pack stays comfortable on "
    "steep climbs and long descents, and the rain cover tucks into the lid when not used.",
    "Specifications",
    "Weight: 1 lb 14 oz",
    "Volume: 25 liters",
]

REVIEWS = [
    "Customer reviews",
    "4.6 out of 5 stars",
    "1,204 global ratings",
    "Great bag for day hikes",
    "I used this pack on a dozen day hikes this summer and it never once rubbed my shoulders, "
    "the hip belt pockets are big enough for a phone and the mesh back keeps me cool.",
    "Verified Purchase",
    "Zippers failed after a month",
    "The main zipper split after four weeks of light use and the replacement took ages to "
    "arrive, which is a shame because the rest of the bag is well made and comfortable.",
]

POLICY = [
    "Privacy policy",
    "We collect the personal information you give us when you place an order, such as your "
    "name, address and payment details, and use it only to fulfil the order you placed.",
    "We keep your information for as long as the law requires and never sell it to anyone, "
    "and you may ask us at any time to correct or delete the information we hold about you.",
]


def _kept(text: str) -> str:
    return tf.strip_boilerplate(text).text


def test_heading_kind_per_language() -> None:
    def kind(line: str) -> str | None:
        mark = heading_kind(edge_strip(line_key(line)))
        return SECTION_KINDS[mark - 1] if mark else None

    assert kind("Customer reviews") == "comments"
    assert kind("Customer Reviews (1,204)") == "comments"  # a trailing count is dropped
    assert kind("Top reviews from other countries") == "comments"  # a start heading
    assert kind("Kundenrezensionen") == "comments"
    assert kind("Opiniones de clientes") == "comments"
    assert kind("Avis clients") == "comments"
    assert kind("Recensioni clienti") == "comments"
    assert kind("Avaliações de clientes") == "comments"
    assert kind("Отзывы покупателей") == "comments"
    assert kind("Privacy Policy") == "legal"
    assert kind("Datenschutzerklärung") == "legal"
    assert kind("Política de privacidad") == "legal"
    assert kind("Politique de confidentialité") == "legal"
    assert kind("Spedizione e resi") == "legal"
    assert kind("Política de privacidade") == "legal"
    assert kind("Доставка и возврат") == "legal"
    assert kind("Customers also bought") == "related_links"
    assert kind("Kunden kauften auch") == "related_links"
    assert kind("Our reviews of the best tents") is None  # not a heading of the data
    assert kind("Privacy") is None  # a footer link, not a section heading


def test_every_language_ships_section_headings() -> None:
    heads = section_headings()
    assert set(heads.line.values()) == set(SECTION_KINDS)
    for phrase in heads.line:
        assert phrase == edge_strip(phrase)
        assert phrase[:4] in heads.first4


def test_reviews_under_a_product_go_and_the_product_stays() -> None:
    text = "\n".join([*DESCRIPTION, *REVIEWS]) + "\n"
    result = tf.strip_boilerplate(text)
    for line in DESCRIPTION[1:3]:
        assert line in result.text
    for line in REVIEWS:
        assert line not in result.text
    kinds = {b.kind for b in result.removed if "section" in b.reason}
    assert kinds == {"comments"}


def test_a_policy_under_a_product_goes() -> None:
    text = "\n".join([*DESCRIPTION, *POLICY]) + "\n"
    kept = _kept(text)
    assert DESCRIPTION[1] in kept
    assert POLICY[1] not in kept
    assert POLICY[2] not in kept


def test_a_policy_page_keeps_its_policy() -> None:
    # nothing scoring as content above the heading: the policy is the page
    text = "\n".join([*POLICY, *POLICY[1:]]) + "\n"
    result = tf.strip_boilerplate(text)
    assert not [b for b in result.removed if "section" in b.reason]
    assert POLICY[1] in result.text


def test_the_section_ends_at_a_heading_of_its_rank() -> None:
    after = [
        "Care Instructions",
        "Wipe the pack with a damp cloth after every trip and let it dry in the shade before you "
        "store it, and never put it in a washing machine or a tumble dryer, or the coating goes.",
    ]
    text = "\n".join([*DESCRIPTION, "Shipping & Returns", *POLICY[1:], *after]) + "\n"
    kept = _kept(text)
    assert POLICY[1] not in kept
    assert after[1] in kept


def test_a_menu_item_opens_nothing() -> None:
    menu = ["Home", "Shop", "About us", "Reviews", "Contact", "Blog"]
    text = "\n".join([*DESCRIPTION[:3], *menu, *REVIEWS[3:]]) + "\n"
    spans_text = tf.strip_boilerplate(text)
    assert not [b for b in spans_text.removed if "section" in b.reason]


def test_press_quotes_under_reviews_are_not_a_shop_reviews_section() -> None:
    quotes = [
        "Reviews",
        '"The most comprehensive free-to-play military game, and a joy to fly"',
        "Rock, Paper, Shotgun",
        '"With fun, exciting combat combined with plenty of room for personal skill to shine"',
        "GameSpot",
        "About This Game",
    ]
    text = "\n".join([*DESCRIPTION, *quotes]) + "\n"
    result = tf.strip_boilerplate(text)
    assert not [b for b in result.removed if "section" in b.reason]


def test_section_spans_needs_content_above() -> None:
    n = 12
    marks = np.zeros(n, dtype=np.int8)
    marks[1] = SECTION_KINDS.index("legal") + 1
    body = "We collect personal data about you under this policy."
    lines = ["Intro line here", "Privacy Policy"] + [body] * 10
    nw = np.array([len(x.split()) for x in lines])
    nw[2] = 12
    is_long = np.zeros(n, dtype=bool)
    heading = np.zeros(n, dtype=bool)
    content = np.ones(n, dtype=bool)
    assert section_spans(marks, lines, nw, is_long, heading, content) == []
    nw[0] = MIN_WORDS_ABOVE
    is_long[0] = True
    assert section_spans(marks, lines, nw, is_long, heading, content) == [(1, n - 1, marks[1])]


_WORDS = ["pack", "trail", "comfort", "strap", "rain", "zipper", "weight", "hike", "summer"]


@st.composite
def product_pages(draw: st.DrawFn) -> str:
    """A description, then sections of every kind in any order, with headings that may
    repeat, run into each other or sit in a menu."""
    lines = list(DESCRIPTION)
    headings = sorted(section_headings().line)
    for _ in range(draw(st.integers(0, 5))):
        lines.append(draw(st.sampled_from(headings)).capitalize())
        for _ in range(draw(st.integers(0, 4))):
            n = draw(st.integers(1, 30))
            words = draw(st.lists(st.sampled_from(_WORDS), min_size=n, max_size=n))
            line = " ".join(words).capitalize() + draw(st.sampled_from(["", ".", " 4.5 out of 5"]))
            lines.append(line)
        if draw(st.booleans()):
            lines.append(draw(st.sampled_from(["Care Instructions", "Home", "About", ""])))
    return "\n".join(lines) + draw(st.sampled_from(["", "\n"]))


@settings(max_examples=60, deadline=None)
@given(product_pages())
def test_product_pages_partition_and_idempotent(text: str) -> None:
    result = tf.strip_boilerplate(text)
    assert "".join(text[b.start : b.end] for b in result.blocks) == text
    assert all(0 <= b.start <= b.end <= len(text) for b in result.removed)
    assert tf.strip_boilerplate(result.text).text == result.text


@settings(max_examples=60, deadline=None)
@given(product_pages())
def test_a_removed_section_starts_at_a_heading(text: str) -> None:
    # the necessary condition of the module docstring: every block the rule removes lies
    # below a line that is a section heading
    result = tf.strip_boilerplate(text)
    heads = [
        b.start
        for b in result.blocks
        if 0 < len(text[b.start : b.end].split()) <= 8
        and heading_kind(edge_strip(line_key(text[b.start : b.end].strip())))
    ]
    for b in result.removed:
        if "section (under" in b.reason:
            assert heads
            assert heads[0] <= b.start
