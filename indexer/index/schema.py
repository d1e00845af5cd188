"""The index schema: what kb hands over (`IndexedDocument`) and the Whoosh fields it becomes.

Public surface: `IndexedDocument`, `schema()`, `to_fields()`, `SCHEMA_VERSION`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from whoosh.columns import NumericColumn
from whoosh.fields import COLUMN, ID, KEYWORD, STORED, TEXT, FieldType, Schema
from whoosh.formats import Existence

from indexer.analysis.chain import completion_analyzer, folding_analyzer, french_analyzer
from indexer.analysis.french import written_words

# Bump whenever fields change: an index built with another version is rebuilt.
SCHEMA_VERSION = 3


@dataclass
class IndexedDocument:
    """The fields of one document as the index needs them (built by kb from the database)."""

    id: str
    source_key: str
    title: str
    body: str
    kind: str
    visibility_tokens: list[str]
    headings: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    territory: str | None = None
    themes: list[str] = field(default_factory=list)
    concept_labels: list[str] = field(default_factory=list)
    doctrine_status: str = "aucun"
    date: dt.date | None = None
    # Facet keys of the themes: concept URIs with their broader concepts when the document
    # is tagged, else its free themes; empty means `themes`.
    theme_keys: list[str] = field(default_factory=list)
    # When the database last changed the document: `kb check` compares it.
    stamp: str = ""


def _words_field(analyzer: object) -> FieldType:
    # Only which documents hold a word matters here: no frequencies, positions or lengths.
    return FieldType(Existence(), analyzer)


def schema() -> Schema:
    """Every field of the index. Ranking weights live in `indexer.search.ranking`."""
    french = french_analyzer()
    folding = folding_analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        source_key=ID,
        stamp=STORED,
        title=TEXT(analyzer=french, phrase=True),
        concepts=TEXT(analyzer=french, phrase=False),
        headings=TEXT(analyzer=french, phrase=True),
        body=TEXT(analyzer=french, phrase=True),
        authors=TEXT(analyzer=folding, phrase=False),
        territory=TEXT(analyzer=folding, phrase=False),
        # Folded words (corrections) and « folded\x1fwritten » forms (what suggestions show).
        spelling=_words_field(completion_analyzer()),
        kind=ID,
        status=ID,
        visibility=KEYWORD(commas=True, lowercase=True),
        theme=KEYWORD(commas=True),
        territory_facet=ID,
        author_facet=KEYWORD(commas=True),
        year=ID,
        sortdate=COLUMN(NumericColumn("i")),
    )


def _keywords(values: Iterable[str]) -> str:
    return ",".join(v.replace(",", " ").strip() for v in values if v and v.strip())


def to_fields(doc: IndexedDocument) -> dict[str, object]:
    """The Whoosh field values of a document."""
    names = "\n".join([*doc.authors, doc.territory or ""])
    words = "\n".join([doc.title, *doc.headings, *doc.concept_labels, *doc.themes, names,
                       doc.body])
    fields: dict[str, object] = {
        "id": doc.id,
        "source_key": doc.source_key,
        "stamp": doc.stamp,
        "title": doc.title,
        # Declared themes are labels too, searched like the labels of tagged concepts.
        "concepts": "\n".join(dict.fromkeys([*doc.concept_labels, *doc.themes])),
        "headings": "\n".join(doc.headings),
        "body": doc.body,
        "authors": " ; ".join(doc.authors),
        "territory": doc.territory or "",
        # Which words occur, and how they are written, is all this field keeps: analyse each
        # distinct written word once.
        "spelling": " ".join(written_words(words)),
        "kind": doc.kind,
        "status": doc.doctrine_status,
        "visibility": _keywords(doc.visibility_tokens),
        "theme": _keywords(doc.theme_keys or doc.themes),
        "author_facet": _keywords(doc.authors),
        "sortdate": doc.date.toordinal() if doc.date else 0,
    }
    if doc.territory and doc.territory.strip():
        fields["territory_facet"] = doc.territory.strip()
    if doc.date:
        fields["year"] = str(doc.date.year)
    return fields
