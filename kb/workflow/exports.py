"""Exports: the « Fondamentaux » bundle (Markdown files in a ZIP, one DOCX) and a dossier's
history (CSV or JSON)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile

import docx
import yaml

from kb.models import KIND_LABELS, Dossier
from kb.models.workflow import STATE_LABELS
from kb.slug import slug
from kb.workflow.fundamentals import DoctrineEntry, Fundamentals
from kb.workflow.queries import EventView

BUNDLE_TITLE = "Les fondamentaux de la Fabrique des transitions"
HISTORY_FIELDS = ("date", "auteur", "action", "etat_avant", "etat_apres", "version",
                  "commentaire", "donnees")


def _front_matter(entry: DoctrineEntry) -> str:
    document = entry.document
    fields = {
        "titre": document.title, "type": KIND_LABELS.get(document.kind, document.kind),
        "auteurs": list(document.authors),
        "date": document.date.isoformat() if document.date else None,
        "statut": "doctrine (à réviser)" if entry.in_review else "doctrine",
        "version_validee": entry.revision,
        "decision_du": entry.decided_at.date().isoformat() if entry.decided_at else None,
        "themes": entry.themes, "concepts": entry.concepts, "dossier": entry.dossier_id,
    }
    return "---\n" + yaml.safe_dump(fields, allow_unicode=True, sort_keys=False) + "---\n"


def _markdown_body(entry: DoctrineEntry) -> str:
    lines = [f"# {entry.document.title}", ""]
    for section in entry.sections:
        heading = str(section.get("heading") or "")
        if heading and heading != entry.document.title:
            level = min(max(int(str(section.get("level") or 2)), 2), 6)
            lines += ["#" * level + " " + heading, ""]
        for paragraph in section.get("paragraphs") or []:  # type: ignore[union-attr]
            lines += [str(paragraph), ""]
    return "\n".join(lines)


def markdown_zip(bundle: Fundamentals, today: dt.date) -> bytes:
    """One Markdown file per validated text, and an index by main theme (README.md), where
    each text is listed once with its other themes beside it."""
    names = {e.document.id: f"{i:02d}-{slug(e.document.title, 'texte')}.md"
             for i, e in enumerate(bundle.entries, start=1)}
    index = [f"# {BUNDLE_TITLE}", "", f"Export du {today.isoformat()} : "
             f"{len(bundle.entries)} texte(s) validé(s) par le collectif.", ""]
    for group in bundle.groups:
        index += [f"## {group.theme}", ""]
        index += [f"- [{e.document.title}]({names[e.document.id]})" + _also(e)
                  for e in group.entries]
        index.append("")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("fondamentaux/README.md", "\n".join(index))
        for entry in bundle.entries:
            archive.writestr(f"fondamentaux/{names[entry.document.id]}",
                             _front_matter(entry)
                             + "\n" + _markdown_body(entry))
    return buffer.getvalue()


def bundle_docx(bundle: Fundamentals, today: dt.date) -> bytes:
    """One DOCX: a contents by theme, then each validated text once."""
    out = docx.Document()
    out.core_properties.title = BUNDLE_TITLE
    out.core_properties.language = "fr-FR"
    out.add_heading(BUNDLE_TITLE, level=0)
    out.add_paragraph(f"Export du {today.strftime('%d/%m/%Y')} : {len(bundle.entries)} "
                      "texte(s) validé(s) par le collectif qualifié.")
    out.add_heading("Sommaire par thème", level=1)
    for group in bundle.groups:
        out.add_heading(group.theme, level=2)
        for entry in group.entries:
            out.add_paragraph(entry.document.title + _also(entry), style="List Bullet")
    for entry in bundle.entries:
        out.add_page_break()
        out.add_heading(entry.document.title, level=1)
        note = out.add_paragraph()
        note.add_run(_docx_note(entry)).italic = True
        for section in entry.sections:
            heading = str(section.get("heading") or "")
            if heading and heading != entry.document.title:
                out.add_heading(heading, level=min(max(int(str(section.get("level") or 2)), 2), 4))
            for paragraph in section.get("paragraphs") or []:  # type: ignore[union-attr]
                out.add_paragraph(str(paragraph))
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def _also(entry: DoctrineEntry) -> str:
    return f" (aussi : {', '.join(entry.other_themes)})" if entry.other_themes else ""


def _docx_note(entry: DoctrineEntry) -> str:
    parts = [KIND_LABELS.get(entry.document.kind, entry.document.kind)]
    if entry.document.authors:
        parts.append(", ".join(entry.document.authors))
    decided = entry.decided_at.strftime("%d/%m/%Y") if entry.decided_at else "?"
    parts.append(f"version {entry.revision} validée le {decided}")
    if entry.in_review:
        parts.append("en cours de révision")
    return " — ".join(parts)


def _rows(events: list[EventView]) -> list[dict[str, str]]:
    return [{
        "date": e.at.isoformat(timespec="seconds"), "auteur": e.actor_name, "action": e.action,
        "etat_avant": STATE_LABELS.get(e.from_state or "", ""),
        "etat_apres": STATE_LABELS.get(e.to_state or "", ""),
        "version": "" if e.revision_number is None else str(e.revision_number),
        "commentaire": e.comment,
        "donnees": json.dumps(e.data, ensure_ascii=False, sort_keys=True),
    } for e in events]


def history_csv(events: list[EventView]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=HISTORY_FIELDS)
    writer.writeheader()
    for row in _rows(events):
        # A cell starting with = + - @ would run as a formula in a spreadsheet.
        writer.writerow({k: "'" + v if v[:1] in ("=", "+", "-", "@") else v
                         for k, v in row.items()})
    return buffer.getvalue()


def history_json(dossier: Dossier, events: list[EventView]) -> str:
    payload = {"dossier": dossier.id, "type": dossier.kind, "sujet": dossier.subject_title,
               "etat": dossier.state, "evenements": [
                   {**row, "donnees": e.data} for row, e in zip(_rows(events), events,
                                                                strict=True)]}
    return json.dumps(payload, ensure_ascii=False, indent=2)
