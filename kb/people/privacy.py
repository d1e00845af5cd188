"""Who may see a profile and each of its fields: consent first, then the person's choices.

Nobody is shown beyond the association before they consent: without consent a profile's
effective visibility is `association` whatever was chosen. With consent, the profile is
`public`, `membres` or `association`, and each field (contact, organisations, territories)
may be shown to fewer readers than the profile; contact details are never public (members
at most). The association (administrators, the operator) and the person themself see all.
Evidence from documents follows the documents' own visibility (`kb.visibility`), elsewhere.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, false, or_, true

from kb.models import Person
from kb.visibility import Reader

CONSENT_WORDING = "2025-1"
CONSENT_TEXT = (
    "J'accepte que mon profil figure dans l'annuaire des allié·e·s de la Fabrique des "
    "transitions, visible des personnes que je choisis, avec les fiches, documents, "
    "catalogues et dossiers qui me nomment (chacun seulement pour qui peut le lire). Je peux "
    "retirer cet accord, exporter ou supprimer mon profil à tout moment.")
LEVELS = ("public", "membres", "association")
# The widest a field may go: an address or a phone number is never shown to everyone.
FIELD_CEILING = {"contact": "membres"}


def is_association(reader: Reader) -> bool:
    return reader.sees_everything or "admin" in reader.roles


def is_self(reader: Reader, person: Person) -> bool:
    return reader.user_id is not None and person.user_id == reader.user_id


def can_edit(reader: Reader, person: Person) -> bool:
    return is_association(reader) or is_self(reader, person)


def effective_visibility(person: Person) -> str:
    return person.visibility if person.consent_at is not None else "association"


def _narrower(*levels: str) -> str:
    return max(levels, key=LEVELS.index)


def _opens(reader: Reader, level: str) -> bool:
    return level == "public" or (level == "membres" and reader.is_member)


def can_see(reader: Reader, person: Person) -> bool:
    return can_edit(reader, person) or _opens(reader, effective_visibility(person))


def field_level(person: Person, name: str) -> str:
    """The readers one field is shown to: the narrowest of the profile's level, the field's
    own choice and the field's ceiling."""
    chosen = (person.field_visibility or {}).get(name, "public")
    return _narrower(effective_visibility(person), chosen if chosen in LEVELS else "association",
                     FIELD_CEILING.get(name, "public"))


def can_see_field(reader: Reader, person: Person, name: str) -> bool:
    return can_edit(reader, person) or _opens(reader, field_level(person, name))


def visible_people(reader: Reader) -> ColumnElement[bool]:
    """The SQL condition of the profiles this reader may see (the same rule as `can_see`)."""
    if is_association(reader):
        return true()
    consented = Person.consent_at.is_not(None)
    levels = ["public", "membres"] if reader.is_member else ["public"]
    own = Person.user_id == reader.user_id if reader.user_id is not None else false()
    return or_(own, and_(consented, Person.visibility.in_(levels)))
