"""The directory as the reader may see it, as CSV and vCard, and a profile's « book of
evidence » as a one-page DOCX that an ally sends with an application.

Every export is made from the same search as the page (`search_directory`) or the same
profile view (`get_profile`): what the reader may not see is not in the file either.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from kb.exports.blocks import Block, DocMeta, Heading, Para, Run, TableBlock
from kb.exports.docx_writer import build_docx
from kb.models import utcnow
from kb.people.directory import DirectoryPage, Result
from kb.people.evidence import summarise
from kb.people.profiles import ProfileView

CSV_COLUMNS = ("nom", "fonction", "organisations", "territoires", "themes", "fiches",
               "documents", "raisons", "courriel", "telephone", "profil")
MAX_EVIDENCE_ROWS = 12  # one page
LinkFor = Callable[[str], str]


def _organisations(result: Result) -> str:
    return " ; ".join(o.name for o in result.organisations)


def _themes(result: Result, limit: int = 6) -> str:
    return " ; ".join(label for _, label, _ in summarise(result.evidence)[0][:limit])


def directory_csv(page: DirectoryPage, contacts: Callable[[Result], bool],
                  link_for: LinkFor) -> str:
    """One row per person found; contact columns only where the reader may see them."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for result in page.results:
        person, shown = result.person, contacts(result)
        places = sorted({e.territory.label() for e in result.evidence if e.territory.text})
        writer.writerow([
            person.name, person.headline, _organisations(result), " ; ".join(places),
            _themes(result), sum(e.kind == "fiche" for e in result.evidence),
            sum(e.kind == "document" for e in result.evidence), " ; ".join(result.reasons),
            person.contact_email if shown else "", person.contact_phone if shown else "",
            link_for(person.id)])
    return buffer.getvalue()


def directory_vcards(page: DirectoryPage, contacts: Callable[[Result], bool],
                     link_for: LinkFor) -> str:
    """A vCard 3.0 per person found (name, title, organisation, note of evidence, link)."""
    # Deferred: vobject is needed only by this export.
    import vobject

    cards = []
    for result in page.results:
        person = result.person
        card = vobject.vCard()
        card.add("fn").value = person.name
        words = person.name.split()
        card.add("n").value = vobject.vcard.Name(family=words[-1], given=" ".join(words[:-1]))
        if person.headline:
            card.add("title").value = person.headline
        if result.organisations:
            card.add("org").value = [result.organisations[0].name]
        if contacts(result):
            if person.contact_email:
                card.add("email").value = person.contact_email
            if person.contact_phone:
                card.add("tel").value = person.contact_phone
        if result.reasons:
            card.add("note").value = " ; ".join(result.reasons)
        card.add("url").value = link_for(person.id)
        cards.append(card.serialize())
    return "".join(cards)


def _evidence_rows(view: ProfileView, link_for: LinkFor) -> list[list[list[Run]]]:
    rows = []
    for item in view.evidence[:MAX_EVIDENCE_ROWS]:
        url = link_for(item.target) if item.kind in ("fiche", "document") else ""
        rows.append([[Run(str(item.date.year) if item.date else "")],
                     [Run(item.title, link=url or None)],
                     [Run(item.label)], [Run(", ".join(item.role_labels))],
                     [Run(item.territory.label())]])
    return rows


def evidence_blocks(view: ProfileView, link_for: LinkFor) -> list[Block]:
    """Name, presentation, themes attested, then the evidence as a table."""
    person = view.person
    blocks: list[Block] = [Heading(1, [Run(person.name)])]
    if person.headline:
        blocks.append(Para([Run(person.headline, italic=True)]))
    if view.organisations:
        blocks.append(Para([Run("Organisations : ", bold=True), Run(", ".join(
            o.name + (f" ({role})" if role else "") for o, role in view.organisations))]))
    if person.presentation:
        blocks.append(Para([Run(person.presentation[:800])]))
    if view.themes:
        blocks.append(Heading(2, [Run("Compétences attestées")]))
        blocks.append(Para([Run(", ".join(f"{label} ({n})" for _, label, n in view.themes[:12]))]))
    blocks.append(Heading(2, [Run("Preuves : fiches, documents, catalogues, dossiers")]))
    if view.evidence:
        blocks.append(TableBlock([[Run("Année")], [Run("Titre")], [Run("Type")], [Run("Rôle")],
                                  [Run("Territoire")]], _evidence_rows(view, link_for)))
        if len(view.evidence) > MAX_EVIDENCE_ROWS:
            blocks.append(Para([Run(f"… et {len(view.evidence) - MAX_EVIDENCE_ROWS} autre(s), "
                                    "sur le profil en ligne.", italic=True)]))
    else:
        blocks.append(Para([Run("Aucune preuve lisible pour l'instant.")]))
    declared = [label for _, label, n in view.competences if n == 0]
    if declared:
        blocks.append(Para([Run("Compétences déclarées, sans preuve dans la base : ", bold=True),
                            Run(", ".join(declared))]))
    return blocks


def evidence_docx(view: ProfileView, link_for: LinkFor) -> bytes:
    meta = DocMeta(title=f"Preuves d'expérience — {view.person.name}", created=utcnow(),
                   authors=view.person.name, subject="Annuaire des allié·e·s")
    return build_docx(evidence_blocks(view, link_for), meta)
