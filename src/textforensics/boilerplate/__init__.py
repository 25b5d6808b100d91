"""Boilerplate stripping for scraped plain text.

The input is a whole page flattened to text (blocks separated by line breaks). Every
non-blank line, together with the blank lines after it, is one *block*; the blocks
partition the input. Each block is classified in three layers:

1. **Phrase families** (:mod:`.phrases`; data files ``data/boilerplate/<lang>.json``, one
   per language): whole-line, line-start and contained phrases for each boilerplate
   kind, plus the markers that open a comment section. Short lines that match are
   removed outright.
2. **Cross-page model** (:mod:`.site`, optional, :func:`learn_boilerplate`): lines that
   repeat across many pages of one site are removed as ``repeated``.
3. **Block classifier** (:mod:`.classifier`): a three-stage logistic model over
   language-aware block features (:mod:`.features`, :mod:`.page`: length, stop-word
   share, sentence-ending punctuation, headline / name / date-only shape, list and
   separator cues, position, in-document repetition, phrase hits), the second stage
   adding the first stage's scores of the neighbouring blocks and the block's place
   relative to the page's main span, the third repeating that on the second stage's
   scores. Its weights live in ``data/boilerplate/model.json`` (trained by
   ``scripts/train_boilerplate.py``).

The rules that combine them are in :mod:`.rules`; :mod:`.assemble` repeats passes until
nothing more is removed (stripping is idempotent) and builds the result. :mod:`.spec` is
the plain per-block reference the fast page-at-once code is tested against, and what
training builds its feature rows with.
"""

from __future__ import annotations

from .assemble import strip_boilerplate
from .classifier import BlockClassifier, ModelMismatchError, shipped_classifier
from .phrases import KINDS, LANGUAGES
from .phrases import detect_language as detect_language
from .site import BoilerplateModel, learn_boilerplate

__all__ = [
    "KINDS",
    "LANGUAGES",
    "BlockClassifier",
    "BoilerplateModel",
    "ModelMismatchError",
    "learn_boilerplate",
    "shipped_classifier",
    "strip_boilerplate",
]
