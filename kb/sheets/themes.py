"""Theme suggestions for a sheet being written: taxonomy concepts named in its text.

Each concept is looked for under all its French labels (preferred, alternative, hidden) and
suggested under its preferred label; themes declared by the base's documents complete the list
(they are all there is before a taxonomy is imported). Matching ignores case, accents and
plural endings, and needs no language model: it answers while the author types.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select

from kb.context import KbContext
from kb.models import Document
from kb.taxonomy.reading import tagging_concepts

MAX_SUGGESTIONS = 8
MAX_TEXT_CHARS = 200_000
TITLE_WEIGHT = 3
_WORD = re.compile(r"[a-z0-9]+")
Candidate = tuple[str, tuple[str, ...]]  # (label shown, labels looked for)


@dataclass(frozen=True)
class ThemeSuggestion:
    label: str
    score: float


def fold_words(text: str) -> list[str]:
    """Lower-case words without accents, plural `s`/`x` removed: « Élus » -> ["elu"]."""
    text = unicodedata.normalize("NFKD", text.lower().replace("œ", "oe").replace("æ", "ae"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return [w[:-1] if len(w) > 3 and w[-1] in "sx" else w for w in _WORD.findall(text)]


def candidates(ctx: KbContext) -> list[Candidate]:
    """Taxonomy concepts (preferred label first), then declared themes no concept names."""
    with ctx.sessions() as session:
        concepts = tagging_concepts(session, "fr")
        declared = session.scalars(select(Document.themes)).all()
    found: list[Candidate] = [(c.labels[0], c.labels) for c in concepts]
    known = {tuple(fold_words(label)) for _, labels in found for label in labels}
    for themes in declared:
        for theme in themes or []:
            key = tuple(fold_words(str(theme)))
            if key and key not in known:
                known.add(key)
                found.append((str(theme), (str(theme),)))
    return found


def _count(words: list[str], label_words: tuple[str, ...]) -> int:
    size = len(label_words)
    if size == 0:
        return 0
    first = label_words[0]
    return sum(1 for i, word in enumerate(words)
               if word == first and tuple(words[i:i + size]) == label_words)


def match_labels(found: list[Candidate], text: str, title: str = "",
                 limit: int = MAX_SUGGESTIONS) -> list[ThemeSuggestion]:
    """Candidates named in the text (title mentions weigh more), best first."""
    body, head = fold_words(text[:MAX_TEXT_CHARS]), fold_words(title)
    scores: Counter[str] = Counter()
    for shown, labels in found:
        for variant in {tuple(fold_words(label)) for label in labels}:
            score = _count(body, variant) + TITLE_WEIGHT * _count(head, variant)
            if score:
                scores[shown] += score
    ranked = sorted(scores.items(), key=lambda item: (-item[1], fold_words(item[0])))
    return [ThemeSuggestion(label, float(score)) for label, score in ranked[:limit]]


def suggest_themes(ctx: KbContext, text: str, title: str = "",
                   exclude: list[str] | None = None) -> list[ThemeSuggestion]:
    """Suggestions for a text being written, without the themes already chosen."""
    chosen = {tuple(fold_words(t)) for t in exclude or []}
    found = match_labels(candidates(ctx), text, title, limit=MAX_SUGGESTIONS + len(chosen))
    return [s for s in found if tuple(fold_words(s.label)) not in chosen][:MAX_SUGGESTIONS]
