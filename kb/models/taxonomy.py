"""Concept schemes, concepts and their relations, document tags, analyses and candidates."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kb.models.base import Base, one_of, utcnow

TAG_STATES = ("suggested", "accepted", "rejected")
TAG_ORIGINS = ("auto", "human")
RELATION_KINDS = ("broader", "related")
CANDIDATE_STATUSES = ("open", "promoted", "dismissed")


class ConceptScheme(Base):
    """A SKOS concept scheme imported from a file; `revision` grows with every change."""

    __tablename__ = "concept_schemes"

    id: Mapped[int] = mapped_column(primary_key=True)
    uri: Mapped[str] = mapped_column(String(500), unique=True)
    title: Mapped[str] = mapped_column(String(500))
    description: Mapped[str | None] = mapped_column(Text, default=None)
    modified: Mapped[str | None] = mapped_column(String(40), default=None)
    source_name: Mapped[str | None] = mapped_column(String(300), default=None)
    # Whether the automatic tagger uses this scheme's concepts.
    tagging: Mapped[bool] = mapped_column(default=True)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    imported_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    concepts: Mapped[list[Concept]] = relationship(back_populates="scheme")


class Concept(Base):
    """A SKOS concept. Labels are lists of [text, language]; never deleted, only deprecated."""

    __tablename__ = "concepts"

    id: Mapped[int] = mapped_column(primary_key=True)
    scheme_id: Mapped[int] = mapped_column(ForeignKey("concept_schemes.id"), index=True)
    uri: Mapped[str] = mapped_column(String(500), unique=True)
    pref_label: Mapped[str] = mapped_column(String(500))
    pref_labels: Mapped[list[list[str]]] = mapped_column(JSON, default=list)
    alt_labels: Mapped[list[list[str]]] = mapped_column(JSON, default=list)
    hidden_labels: Mapped[list[list[str]]] = mapped_column(JSON, default=list)
    definitions: Mapped[list[list[str]]] = mapped_column(JSON, default=list)
    scope_notes: Mapped[list[list[str]]] = mapped_column(JSON, default=list)
    notation: Mapped[str | None] = mapped_column(String(100), default=None)
    top: Mapped[bool] = mapped_column(default=False)
    deprecated: Mapped[bool] = mapped_column(default=False)
    replaced_by: Mapped[str | None] = mapped_column(String(500), default=None)
    # Set when the latest import of the scheme no longer contains the concept.
    missing_since: Mapped[dt.datetime | None] = mapped_column(default=None)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    scheme: Mapped[ConceptScheme] = relationship(back_populates="concepts")

    @property
    def definition(self) -> str | None:
        return french_first(self.definitions)

    def labels(self, kind: str = "alt", language: str | None = "fr") -> list[str]:
        """Texts of one kind of label (`pref`, `alt`, `hidden`), in `language` or untagged."""
        values = {"pref": self.pref_labels, "alt": self.alt_labels,
                  "hidden": self.hidden_labels}[kind]
        return [text for text, lang in values if language is None or lang in (language, "")]


def french_first(values: list[list[str]]) -> str | None:
    """The French text of a list of [text, language], else an untagged one, else the first."""
    for wanted in ("fr", ""):
        for text, lang in values:
            if lang == wanted:
                return text
    return values[0][0] if values else None


class ConceptRelation(Base):
    """`source broader target` or `source related target` (narrower is the inverse of broader;
    related is stored both ways)."""

    __tablename__ = "concept_relations"

    source_id: Mapped[int] = mapped_column(
        ForeignKey("concepts.id", ondelete="CASCADE"), primary_key=True)
    target_id: Mapped[int] = mapped_column(
        ForeignKey("concepts.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)

    __table_args__ = (Index("ix_concept_relations_target", "target_id", "kind"),
                      one_of("kind", RELATION_KINDS))


class DocumentTag(Base):
    """A concept given to a document, by the tagger or by a person, and its review state."""

    __tablename__ = "document_tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    concept_id: Mapped[int] = mapped_column(ForeignKey("concepts.id"), index=True)
    origin: Mapped[str] = mapped_column(String(8), default="auto")
    tagger_version: Mapped[str | None] = mapped_column(String(32), default=None)
    state: Mapped[str] = mapped_column(String(16), default="suggested")
    confidence: Mapped[float | None] = mapped_column(Float, default=None)
    matched_label: Mapped[str | None] = mapped_column(String(500), default=None)
    # [{"text": str, "start": int, "end": int}]: where the label matched.
    passages: Mapped[list[dict[str, object]]] = mapped_column(JSON, default=list)
    zones: Mapped[dict[str, float]] = mapped_column(JSON, default=dict)
    # Why the tagger suggested it: {"label_confidence", "shared_with", "disambiguated",
    # "model_confidence", "support", "neighbours": [document ids], "model": stamp}.
    explanation: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    decided_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None)
    decided_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    concept: Mapped[Concept] = relationship()

    __table_args__ = (UniqueConstraint("document_id", "concept_id"),
                      one_of("state", TAG_STATES), one_of("origin", TAG_ORIGINS))


class DocumentAnalysis(Base):
    """The last NLP pass over a document: what it saw, so re-tagging and statistics need no
    new spaCy run unless the text, the taxonomy or the tagger changed."""

    __tablename__ = "document_analyses"

    document_id: Mapped[str] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    taxonomy_stamp: Mapped[str] = mapped_column(String(64))
    tagger_version: Mapped[str] = mapped_column(String(32))
    # The label tagger and learned model that last scored the document's suggestions: a
    # new model re-scores every document from its stored evidence, without spaCy.
    scoring_stamp: Mapped[str] = mapped_column(String(64), default="")
    language: Mapped[str] = mapped_column(String(8))
    words: Mapped[int] = mapped_column(Integer, default=0)
    # Every concept seen (for document frequencies) and, for each, what the tagger found:
    # {uri: {"weight": float, "label": str, "zones": {...}, "passages": [...],
    #        "shared_with": [...], "disambiguated": bool}}.
    concepts: Mapped[list[str]] = mapped_column(JSON, default=list)
    evidence: Mapped[dict[str, dict[str, object]]] = mapped_column(JSON, default=dict)
    # {"lieux": {name: count}, "organisations": {name: count}}
    entities: Mapped[dict[str, dict[str, int]]] = mapped_column(JSON, default=dict)
    # {phrase key: [label, count]}: the document's frequent noun phrases.
    phrases: Mapped[dict[str, list[object]]] = mapped_column(JSON, default=dict)
    analysed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class CandidateConcept(Base):
    """A frequent key phrase that no concept covers, proposed to the documentalists."""

    __tablename__ = "candidate_concepts"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(300), unique=True)
    label: Mapped[str] = mapped_column(String(300))
    document_count: Mapped[int] = mapped_column(Integer, default=0)
    occurrences: Mapped[int] = mapped_column(Integer, default=0)
    # {document id: occurrences}
    documents: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(16), default="open")
    concept_uri: Mapped[str | None] = mapped_column(String(500), default=None)
    decided_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None)
    decided_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (one_of("status", CANDIDATE_STATUSES),)


TAGGING_STATES = ("en-attente", "en-cours", "fait", "echec")


class TaggingStatus(Base):
    """How the automatic tagging that follows a web upload went for one document (it runs
    after the answer, so this is where its outcome, and its error, are kept)."""

    __tablename__ = "tagging_status"

    document_id: Mapped[str] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    state: Mapped[str] = mapped_column(String(16))
    message: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (one_of("state", TAGGING_STATES),)
