"""A first directory from a CSV file (`kb people import FILE`): one person a row.

Columns (French, in any order; only `nom` is required): `nom`, `fonction`, `organisation`,
`type_organisation`, `territoires` and `competences` (separated by « ; »), `presentation`,
`courriel`, `telephone`, `liens`, `visibilite`, `accord` (`oui` to record a consent given
elsewhere), `accord_note` (how and when: required with `accord`). A row naming a known
person (same name, accents and case aside, one person only) completes their profile's empty
fields; otherwise a profile is made. A bad row is reported with its line and field and the
others go on; each row is its own transaction.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from sqlalchemy import select

from kb.context import KbContext
from kb.errors import InvalidInput, KbError
from kb.models import Person
from kb.people.matching import add_name
from kb.people.names import name_key, parse_person
from kb.people.profiles import set_consent, update_profile
from kb.visibility import Reader

COLUMNS = ("nom", "fonction", "organisation", "type_organisation", "territoires",
           "competences", "presentation", "courriel", "telephone", "liens", "visibilite",
           "accord", "accord_note")
MAX_BYTES = 5 * 1024 * 1024


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split(";") if v.strip()]


def _values(row: dict[str, str], person: Person | None) -> dict[str, object]:
    """The row's values, only where the known profile left the field empty."""
    values: dict[str, object] = {}
    pairs = (("headline", row.get("fonction", "")), ("presentation", row.get("presentation", "")),
             ("contact_email", row.get("courriel", "")),
             ("contact_phone", row.get("telephone", "")))
    for name, value in pairs:
        if value.strip() and (person is None or not getattr(person, name)):
            values[name] = value
    for name, column in (("territories", "territoires"), ("competences", "competences"),
                         ("links", "liens")):
        if items := _split(row.get(column, "")):
            values[name] = list(dict.fromkeys([*(getattr(person, name) if person else []),
                                               *items]))
    if organisation := row.get("organisation", "").strip():
        values["organisations"] = [{"name": organisation,
                                    "kind": row.get("type_organisation", "").strip() or "autre"}]
    return values


def _find_or_create(ctx: KbContext, name: str) -> tuple[Person, bool]:
    key = name_key(name)
    with ctx.sessions.begin() as session:
        found = list(session.scalars(select(Person).where(Person.name_key == key)))
        if len(found) == 1:
            return found[0], False
        person = Person(name=name, name_key=key, origin="import")
        session.add(person)
        session.flush()
        add_name(session, person.id, name)
        return person, True


def _import_row(ctx: KbContext, reader: Reader, row: dict[str, str]) -> bool:
    parsed = parse_person(row.get("nom", ""))
    if parsed is None:
        raise InvalidInput(f"nom : « {row.get('nom', '')} » n'est pas un prénom et un nom")
    consent = row.get("accord", "").strip().lower()
    if consent not in ("", "oui", "non"):
        raise InvalidInput(f"accord : « {consent} » (oui ou non attendu)")
    person, created = _find_or_create(ctx, parsed.name)
    if values := _values(row, None if created else person):
        update_profile(ctx, reader, person.id, values)
    if consent == "oui":
        set_consent(ctx, reader, person.id, row.get("visibilite", "").strip() or "membres",
                    True, row.get("accord_note", ""))
    return created


def import_people(ctx: KbContext, reader: Reader, data: bytes, source: str) -> ImportReport:
    """Import a CSV file's rows; errors name the file, the line and the field."""
    if len(data) > MAX_BYTES:
        raise InvalidInput(f"{source} : fichier trop gros ({MAX_BYTES // 1024 // 1024} Mo au "
                           "plus)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{source} : le fichier n'est pas en UTF-8") from exc
    dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t") if text.strip() else csv.excel
    rows = csv.DictReader(io.StringIO(text), dialect=dialect)
    header = [h.strip().lower() for h in rows.fieldnames or []]
    if "nom" not in header:
        raise InvalidInput(f"{source} : colonne « nom » absente (colonnes attendues : "
                           f"{', '.join(COLUMNS)})")
    report = ImportReport()
    for line, raw in enumerate(rows, start=2):
        row = {str(k).strip().lower(): (v or "").strip() for k, v in raw.items() if k}
        try:
            created = _import_row(ctx, reader, row)
        except KbError as error:
            report.errors.append(f"{source}, ligne {line} : {error.message}")
            continue
        if created:
            report.created += 1
        else:
            report.updated += 1
    return report
