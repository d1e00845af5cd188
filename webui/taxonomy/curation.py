"""Curating the taxonomy: a concept's labels and relations, its deprecation, the candidate
concepts. Concepts are chosen with the concept picker, never typed as URIs; a refusal
keeps the form as sent, with the message beside its field (status 400)."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from kb.errors import InvalidInput, KbError
from kb.taxonomy.candidates import (
    candidate_as_synonym,
    dismiss_candidate,
    list_candidates,
    promote_candidate,
)
from kb.taxonomy.editing import can_edit_taxonomy, deprecate_concept, edit_concept
from kb.taxonomy.reading import concept_detail, concept_documents
from kb.taxonomy.tag_review import can_review_tags
from webui.common.context import current_reader, instance, roles_required
from webui.common.forms import ConfirmForm
from webui.taxonomy.blueprint import bp, checked_form
from webui.taxonomy.picker import concept_groups, known_uris

# The field a service message (« champ : raison ») is about.
FIELDS = {"libellé préféré": "pref_label", "synonymes": "alt_labels",
          "libellés cachés": "hidden_labels", "définition": "definition",
          "thèmes plus larges": "broader", "voir aussi": "related", "remplaçant": "replaced_by",
          "concept": "concept_uri"}


def field_errors(error: KbError, default: str) -> dict[str, str]:
    """The message of a refusal, under the field it names."""
    name, _, reason = error.message.partition(" : ")
    if name in FIELDS and reason:
        return {FIELDS[name]: reason[:1].upper() + reason[1:] + "."}
    return {default: error.message}


def _lines(name: str) -> list[str]:
    return [line.strip() for line in request.form.get(name, "").splitlines() if line.strip()]


@dataclass
class ConceptValues:
    """What the concept form shows: the stored concept, or what was just sent."""

    pref_label: str = ""
    alt_labels: str = ""
    hidden_labels: str = ""
    definition: str = ""
    broader: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    replaced_by: str = ""

    @classmethod
    def of(cls, view) -> ConceptValues:  # type: ignore[no-untyped-def]
        concept = view.concept
        return cls(concept.pref_label, "\n".join(concept.labels("alt")),
                   "\n".join(concept.labels("hidden")), concept.definition or "",
                   [r.uri for r in view.broader], [r.uri for r in view.related])

    @classmethod
    def sent(cls) -> ConceptValues:
        form = request.form
        return cls(form.get("pref_label", ""), form.get("alt_labels", ""),
                   form.get("hidden_labels", ""), form.get("definition", ""),
                   form.getlist("broader"), form.getlist("related"),
                   form.get("replaced_by", ""))


def render_concept(uri: str, values: ConceptValues | None = None,
                   errors: dict[str, str] | None = None, status: int = 200) -> tuple[str, int]:
    reader = current_reader()
    view = concept_detail(instance(), uri)
    can_edit = can_edit_taxonomy(reader)
    groups = concept_groups(instance(), reader, view.scheme_uri) if can_edit else []
    picker = [(title, [c for c in choices if c[0] != uri]) for title, choices in groups]
    return render_template(
        "taxonomy/concept.html", view=view, documents=concept_documents(instance(), reader, uri),
        can_edit=can_edit, form=ConfirmForm(), picker=picker, reviewer=can_review_tags(reader),
        values=values or ConceptValues.of(view), errors=errors or {}), status


def _unknown(values: ConceptValues, picker_uris: set[str]) -> dict[str, str]:
    return {name: "Ce concept n'est pas dans la liste : rechargez la page." for name in
            ("broader", "related") if set(getattr(values, name)) - picker_uris}


@bp.post("/concept/modifier", endpoint="edit_concept")
@roles_required("admin")
def edit_concept_page() -> tuple[str, int] | Response:
    checked_form()
    uri = request.args.get("uri", "")
    values = ConceptValues.sent()
    errors = _unknown(values, known_uris(concept_groups(instance(), current_reader())))
    if not errors:
        try:
            edit_concept(instance(), current_reader(), uri, pref_label=values.pref_label,
                         alt_labels=_lines("alt_labels"), hidden_labels=_lines("hidden_labels"),
                         definition=values.definition, broader=values.broader,
                         related=values.related)
        except InvalidInput as error:
            errors = field_errors(error, "pref_label")
    if errors:
        flash("Concept inchangé : corrigez le champ signalé.", "error")
        return render_concept(uri, values, errors, 400)
    flash("Concept enregistré.", "success")
    return redirect(url_for("taxonomy.concept", uri=uri))


@bp.post("/concept/deprecier")
@roles_required("admin")
def deprecate() -> tuple[str, int] | Response:
    checked_form()
    uri = request.args.get("uri", "")
    replaced_by = request.form.get("replaced_by", "").strip() or None
    try:
        deprecate_concept(instance(), current_reader(), uri, replaced_by=replaced_by)
    except InvalidInput as error:
        flash("Concept non déprécié : corrigez le champ signalé.", "error")
        values = ConceptValues.of(concept_detail(instance(), uri))
        values.replaced_by = replaced_by or ""
        return render_concept(uri, values, field_errors(error, "replaced_by"), 400)
    flash("Concept déprécié ; ses étiquettes sont conservées.", "success")
    return redirect(url_for("taxonomy.concept", uri=uri))


def render_candidates(errors: dict[int, str] | None = None,
                      chosen: dict[int, str] | None = None, status: int = 200
                      ) -> tuple[str, int]:
    reader = current_reader()
    return render_template("taxonomy/candidates.html", form=ConfirmForm(),
                           candidates=list_candidates(instance(), reader),
                           groups=concept_groups(instance(), reader), errors=errors or {},
                           chosen=chosen or {}), status


@bp.get("/candidats")
@roles_required("collectif")
def candidates() -> tuple[str, int]:
    return render_candidates()


@bp.post("/candidats/<int:candidate_id>")
@roles_required("collectif")
def decide_candidate(candidate_id: int) -> tuple[str, int] | Response:
    checked_form()
    action = request.form.get("action")
    target = request.form.get("concept_uri", "").strip() or None
    ctx, reader = instance(), current_reader()
    try:
        if action == "dismiss":
            dismiss_candidate(ctx, reader, candidate_id)
            flash("Candidat écarté.", "success")
        elif action == "alt":
            uri = candidate_as_synonym(ctx, reader, candidate_id, target)
            flash(f"Ajouté comme synonyme de « {concept_detail(ctx, uri).concept.pref_label} ».",
                  "success")
        else:
            promote_candidate(ctx, reader, candidate_id, broader_uri=target)
            flash("Nouveau concept créé.", "success")
    except InvalidInput as error:
        flash("Candidat inchangé : voyez le message à côté de son choix de concept.", "error")
        return render_candidates({candidate_id: field_errors(error, "concept_uri").popitem()[1]},
                                 {candidate_id: target or ""}, 400)
    return redirect(url_for("taxonomy.candidates"))
