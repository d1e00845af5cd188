"""Who may publish what (the rule the README states for the association).

The qualified collective (role or group `collectif`) and administrators publish: they give
any document a doctrine kind (« texte fondateur ») or the `public` visibility. Other members
deposit documents for the members (`membres`, or `restreint` to groups) of any other kind:
asking for more is refused, naming the field; a file that declares more itself (front
matter, sidecar, `textes-fondateurs/` folder) is kept as a `proposition` for the members,
with a warning, until a publisher publishes it. Until then its uploader may correct its
metadata within the same limits. Uploads, metadata edits, and anything built on them (an
API included) pass through these functions; the command line is the operator's and
publishes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from kb.errors import Forbidden
from kb.models import KIND_LABELS, Document
from kb.visibility import Reader

DOCTRINE_KINDS = frozenset({"texte-fondateur"})
PUBLIC = "public"
# What an upload that declared more than its uploader may publish becomes.
UNPUBLISHED_KIND = "proposition"
UNPUBLISHED_VISIBILITY = "membres"
UPLOAD_ROOT = "televersements"


def can_publish(reader: Reader) -> bool:
    """Administrators and the qualified collective (also the documentalists)."""
    return reader.sees_everything or "admin" in reader.roles \
        or "collectif" in reader.all_groups


def publication_refusals(reader: Reader, fields: Mapping[str, object]) -> list[str]:
    """Why `reader` may not give these `kind`/`visibility` values (empty: they may)."""
    if can_publish(reader):
        return []
    refusals = []
    if fields.get("kind") in DOCTRINE_KINDS:
        label = KIND_LABELS[str(fields["kind"])].lower()
        refusals.append(f"type : « {label} » est réservé au collectif qualifié et aux "
                        "administrateur·rice·s, qui publient la doctrine")
    if fields.get("visibility") == PUBLIC:
        refusals.append("visibilité : seul·es le collectif qualifié et les "
                        "administrateur·rice·s rendent un document public ; choisissez "
                        "« membres » ou « restreint »")
    return refusals


def check_publication(reader: Reader, fields: Mapping[str, object]) -> None:
    """Refuse (403, each field named) values the reader may not publish."""
    if refusals := publication_refusals(reader, fields):
        raise Forbidden("Dépôt ou modification refusé — " + " ; ".join(refusals) + ".")


def unpublished(kind: str, visibility: str | None) -> tuple[str, str | None, list[str]]:
    """A file's own kind and visibility, lowered to what an unpublished upload may have."""
    warnings = []
    if kind in DOCTRINE_KINDS:
        warnings.append(f"le fichier se déclare « {KIND_LABELS[kind].lower()} » : déposé "
                        f"comme « {KIND_LABELS[UNPUBLISHED_KIND].lower()} » en attendant "
                        "qu'un membre du collectif qualifié ou un·e administrateur·rice le "
                        "publie")
        kind = UNPUBLISHED_KIND
    if visibility == PUBLIC:
        warnings.append("le fichier se déclare public : visible des membres seulement en "
                        "attendant qu'un membre du collectif qualifié ou un·e "
                        "administrateur·rice le publie")
        visibility = UNPUBLISHED_VISIBILITY
    return kind, visibility, warnings


def upload_prefix(uploader: str | None) -> str:
    """Keys of uploads are scoped by uploader (an opaque digest, not the address), so that
    nobody replaces another member's document by uploading a file of the same name."""
    if not uploader:
        return f"{UPLOAD_ROOT}/"
    digest = hashlib.sha256(uploader.strip().lower().encode()).hexdigest()[:12]
    return f"{UPLOAD_ROOT}/{digest}/"


def is_published(document: Document) -> bool:
    return document.visibility == PUBLIC or document.kind in DOCTRINE_KINDS \
        or document.doctrine_status != "aucun"


def can_edit_document(reader: Reader, document: Document, email: str | None) -> bool:
    """Publishers edit any document; its uploader (`email`) edits it until it is published.
    The uploader is told by the document's key, which the upload derives from the account
    (a file cannot claim it)."""
    if can_publish(reader):
        return True
    return bool(email) and reader.user_id is not None and not is_published(document) \
        and document.source_key.startswith(upload_prefix(email))
