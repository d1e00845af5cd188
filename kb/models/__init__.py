"""Typed SQLAlchemy models, one module per area; importing this package registers them all."""

from kb.models.accounts import ROLE_LABELS, ApiToken, User
from kb.models.base import Base, new_id, utcnow
from kb.models.catalogues import Catalogue, CatalogueItem, CatalogueSection
from kb.models.documents import (
    DOCTRINE_STATUSES,
    KIND_LABELS,
    KINDS,
    Document,
    Revision,
)
from kb.models.ingestion import IngestRun, SourceRecord
from kb.models.people import (
    ConsentEvent,
    DirectoryState,
    Erasure,
    Membership,
    Mention,
    Organisation,
    Person,
    PersonName,
    TerritoryLink,
)
from kb.models.search import IndexRemoval
from kb.models.sheets import Sheet, SheetRevision
from kb.models.taxonomy import (
    CandidateConcept,
    Concept,
    ConceptRelation,
    ConceptScheme,
    DocumentAnalysis,
    DocumentTag,
    TaggingStatus,
)
from kb.models.workflow import Dossier, DossierEvent, Initiative, Label, Position

__all__ = [
    "DOCTRINE_STATUSES",
    "KINDS",
    "KIND_LABELS",
    "ROLE_LABELS",
    "ApiToken",
    "Base",
    "CandidateConcept",
    "Catalogue",
    "CatalogueItem",
    "CatalogueSection",
    "Concept",
    "ConsentEvent",
    "ConceptRelation",
    "ConceptScheme",
    "Document",
    "DocumentAnalysis",
    "DocumentTag",
    "DirectoryState",
    "Dossier",
    "DossierEvent",
    "Erasure",
    "IndexRemoval",
    "IngestRun",
    "Initiative",
    "Label",
    "Membership",
    "Mention",
    "Organisation",
    "Person",
    "PersonName",
    "Position",
    "Revision",
    "Sheet",
    "SheetRevision",
    "SourceRecord",
    "TaggingStatus",
    "TerritoryLink",
    "User",
    "new_id",
    "utcnow",
]
