"""Repeated records (boilerplate/records.py): the items of a page of listings are kept;
menus, an article's teaser grid and the template's buttons are not claimed. Also the
shop chrome that a grid kept as records lifts into content (phrase data, session 12)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import textforensics as tf
from strip_helpers import check_partition
from textforensics.boilerplate.page import own_rows, read_page
from textforensics.boilerplate.phrases import LANGUAGES
from textforensics.boilerplate.records import MIN_RECORDS, _steady_runs, record_blocks

BOOKS = [
    ("The Hunger Games", "Suzanne Collins", "4.35", "9,993,676"),
    ("Pride and Prejudice", "Jane Austen", "4.30", "4,851,925"),
    ("To Kill a Mockingbird", "Harper Lee", "4.26", "6,937,951"),
    ("The Book Thief", "Markus Zusak", "4.39", "2,901,546"),
    ("Animal Farm", "George Orwell", "4.02", "4,608,707"),
    ("The Little Prince", "Antoine de Saint-Exupery", "4.33", "1,902,220"),
]

MENU = ["Home", "My Books", "Browse", "Recommendations", "Choice Awards", "Genres", "Sign In"]


def _listing(books: list[tuple[str, str, str, str]] = BOOKS) -> str:
    lines = ["Best Books Ever", *MENU]
    for k, (title, author, rating, count) in enumerate(books, start=1):
        lines += [
            str(k),
            title,
            "by",
            author,
            f"{rating} avg rating — {count} ratings",
            "Want to Read",
            "Rate this book",
        ]
    lines += ["About us", "Careers", "Terms", "Privacy"]
    return "\n".join(lines) + "\n"


def _marks(text: str) -> tuple[np.ndarray, list[str]]:
    page = read_page(text)
    at = np.array([i for i in range(page.n) if page.clen[i] > 0], dtype=np.int64)
    contents = [page.contents[i] for i in at.tolist()]
    out = record_blocks(page.key_ids[at], contents.__getitem__, page.nw[at], page.has_digit[at])
    return out, contents


def test_steady_runs() -> None:
    assert _steady_runs([0, 7, 14, 21]) == [[0, 7, 14, 21]]
    assert _steady_runs([0, 7, 14, 60, 67]) == [[0, 7, 14]]  # a gap over the bound ends it
    assert _steady_runs([0, 1, 2, 3]) == []  # adjacent copies: a column, not records
    assert _steady_runs([0, 4, 8, 30, 34, 38, 42]) == [[0, 4, 8], [30, 34, 38, 42]]
    assert _steady_runs([0, 3, 12, 15]) == []  # gaps 3 then 9: not one period


def test_items_of_a_listing_are_marked_and_its_buttons_are_not() -> None:
    out, contents = _marks(_listing())
    marked = {c for c, m in zip(contents, out.tolist(), strict=True) if m}
    for title, author, rating, count in BOOKS:
        assert title in marked
        assert author in marked
        assert f"{rating} avg rating — {count} ratings" in marked
    # the same text on every item is the template's: the classifier decides
    assert "Want to Read" not in marked
    assert "Best Books Ever" not in marked
    # the run widens by shape up to a record before its first anchor: the menu's last
    # lines may be taken for the first item's, not the menu above them
    assert not marked & set(MENU[:-2])


def test_strip_keeps_the_items_of_a_listing() -> None:
    text = _listing()
    result = tf.strip_boilerplate(text)
    for title, author, _, _ in BOOKS:
        assert title in result.text
        assert author in result.text
    kept = [b for b in result.blocks if b.reason.startswith("item of a repeated record")]
    assert kept
    assert all(b.label == "content" for b in kept)
    assert tf.strip_boilerplate(result.text).text == result.text


def test_a_menu_repeated_is_not_records() -> None:
    # the same menu three times (header, sidebar, footer): nothing of its own between
    text = "\n".join(MENU * 3) + "\n"
    out, _ = _marks(text)
    assert not out.any()


def test_too_few_records_are_not_a_grid() -> None:
    out, _ = _marks(_listing(BOOKS[: MIN_RECORDS - 1]))
    assert not out.any()


ARTICLE = " ".join(
    "The council voted on Tuesday to open a public library in the old railway station, "
    "ending a decade of debate about the empty building at the edge of the square."
    for _ in range(12)
)


def test_a_teaser_grid_under_an_article_is_not_claimed() -> None:
    # the long paragraphs outside the runs outweigh the runs: not a page of records
    text = "Library opens\n\n" + "\n\n".join([ARTICLE] * 3) + "\n\n" + _listing(BOOKS[:3])
    out, _ = _marks(text)
    assert not out.any()


def test_buttons_built_from_the_title_are_not_items() -> None:
    tents = ["Wawona 6 Tent", "Base Camp 4 Tent", "Skydome 4-Person Tent", "Ironwood 5 Tent"]
    lines = ["Tents", *MENU]
    for k, t in enumerate(tents):
        lines += [f"The North Face {t}", f"${100 + 17 * k}.00", f"Add {t} to Compare", "Compare"]
    out, contents = _marks("\n".join(lines) + "\n")
    marked = {c for c, m in zip(contents, out.tolist(), strict=True) if m}
    assert {f"The North Face {t}" for t in tents} <= marked
    assert not any(c.startswith("Add ") for c in marked)


_WORDS = ("alpha", "beta", "gamma", "delta", "river", "stone", "garden", "lamp", "chair")
WORDS = st.sampled_from([*_WORDS, "12", "3.5", "$40", "by", "the", "of", "new"])
ITEM_LINE = st.lists(WORDS, min_size=1, max_size=9).map(" ".join)


@st.composite
def listing_pages(draw: st.DrawFn) -> str:
    """Pages of records (varying fields, a fixed button) among menus and paragraphs."""
    fields = draw(st.integers(1, 4))
    button = draw(st.sampled_from(["Rate this book", "View profile", "Add to cart", "by"]))
    n = draw(st.integers(0, 8))
    lines = draw(st.lists(ITEM_LINE, max_size=6))
    for _ in range(n):
        lines += draw(st.lists(ITEM_LINE, min_size=fields, max_size=fields))
        lines.append(button)
    lines += draw(st.lists(ITEM_LINE, max_size=4))
    seps = draw(st.lists(st.sampled_from(["\n", "\n\n", "\r\n"]), min_size=len(lines)))
    return "".join(a + b for a, b in zip(lines, seps, strict=False))


@settings(max_examples=60, deadline=None)
@given(listing_pages())
def test_listing_pages_partition_and_idempotent(text: str) -> None:
    result = tf.strip_boilerplate(text)
    check_partition(text, result)
    assert tf.strip_boilerplate(result.text).text == result.text


@settings(max_examples=60, deadline=None)
@given(listing_pages())
def test_marked_blocks_need_an_anchor(text: str) -> None:
    page = read_page(text)
    at = np.array([i for i in range(page.n) if page.clen[i] > 0], dtype=np.int64)
    out, contents = _marks(text)
    assert len(out) == len(contents) == len(at)
    if out.any():  # some line key recurs MIN_RECORDS times: the anchor of a run
        assert np.bincount(page.key_ids[at]).max() >= MIN_RECORDS


def _shoe_grid(models: list[str], brand: str = "La Sportiva", line: str = "Climbing Shoes") -> str:
    """A shop's grid (rei.com's shape): one brand's titles share their first word and
    last two words, and each item has a compare button that names it."""
    lines = ["Climbing Shoes", *MENU]
    for k, m in enumerate(models):
        lines += [
            f"{brand} {m} {line} - Men's",
            f"${96 + 13 * k}.00",
            "Type:",
            "Neutral",
            f"Add {m} {line} - Men's to Compare",
        ]
    return "\n".join(lines) + "\n"


MODELS = ["Aragon", "Tarantulace", "Skwama", "Kubo", "Mistral", "Finale"]


def test_titles_of_one_brand_are_items_and_their_buttons_are_not() -> None:
    out, contents = _marks(_shoe_grid(MODELS))
    marked = {c for c, m in zip(contents, out.tolist(), strict=True) if m}
    assert {f"La Sportiva {m} Climbing Shoes - Men's" for m in MODELS} <= marked
    assert not any(c.startswith("Add ") for c in marked)


def test_titles_whose_digits_differ_are_text_of_their_own() -> None:
    # the key folds digits: "Osprey Rook 65 Pack" and "Osprey Rook 48 Pack" share one
    packs = [
        f"{name} {size} Pack"
        for name in ("Osprey Rook", "Gregory Paragon", "Deuter Aircontact")
        for size in (48, 65)
    ]
    lines = ["Backpacks", *MENU]
    for k, p in enumerate(packs):
        lines += [p, f"${150 + 11 * k}.00", "Features:", "Reservoir Compatible"]
    out, contents = _marks("\n".join(lines) + "\n")
    marked = {c for c, m in zip(contents, out.tolist(), strict=True) if m}
    assert set(packs) <= marked
    # a line that recurs verbatim is the template's
    assert "Reservoir Compatible" not in marked


MIDDLES = st.lists(
    st.sampled_from(
        ["Aragon", "Kubo", "Skwama", "Finale", "Mistral", "Drago", "Katana", "Solution"]
    ),
    min_size=MIN_RECORDS,
    max_size=8,
    unique=True,
)


@settings(max_examples=40, deadline=None)
@given(MIDDLES, st.sampled_from(["La Sportiva", "Scarpa", "Five Ten"]))
def test_buttons_naming_the_item_never_marked_titles_always(models: list[str], brand: str) -> None:
    text = _shoe_grid(models, brand)
    out, contents = _marks(text)
    marked = {c for c, m in zip(contents, out.tolist(), strict=True) if m}
    assert {f"{brand} {m} Climbing Shoes - Men's" for m in models} <= marked
    assert not any(c.startswith("Add ") for c in marked)
    result = tf.strip_boilerplate(text)
    assert tf.strip_boilerplate(result.text).text == result.text


# Lines of shop chrome, per language: a basket button with more after it, a newsletter's
# offers (session 12's phrase data).
SHOP_LINES = {
    "en": ["Add to cart More info", "Receive product updates, special offers and tips"],
    "de": ["In den Warenkorb Details", "Erhalten Sie exklusive Angebote per E-Mail"],
    "es": ["Añadir al carrito Más información", "Recibe ofertas especiales cada semana"],
    "fr": ["Ajouter au panier Plus d'infos", "Recevez nos offres spéciales par e-mail"],
    "it": ["Aggiungi al carrello Dettagli", "Ricevi offerte esclusive ogni settimana"],
    "pt": ["Adicionar ao carrinho Mais detalhes", "Receba ofertas exclusivas por e-mail"],
    "ru": ["Добавить в корзину Подробнее", "Получайте специальные предложения на почту"],
}


def test_shop_chrome_lines_in_every_language_are_removed_outright() -> None:
    assert set(SHOP_LINES) == set(LANGUAGES)
    for lang, lines in SHOP_LINES.items():
        page = read_page("\n".join(lines) + "\n")
        hard = own_rows(page, lang).hard
        assert [page.contents[i] for i in hard.nonzero()[0].tolist()] == lines, lang
