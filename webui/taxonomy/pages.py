"""Taxonomy pages: the tree with document counts, concept pages, candidates, tag review."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from kb.errors import KbError
from kb.taxonomy.candidates import dismiss_candidate, list_candidates, promote_candidate
from kb.taxonomy.editing import (
    can_edit_taxonomy,
    deprecate_concept,
    set_relations,
    update_concept,
)
from kb.taxonomy.reading import (
    concept_detail,
    concept_documents,
    has_taxonomy,
    list_schemes,
    taxonomy_tree,
)
from kb.taxonomy.schemes import set_scheme_tagging
from kb.taxonomy.tag_review import can_review_tags, document_tags, set_tag_decision
from kb.taxonomy.tagging_status import is_interrupted, tagging_state
from webui.common.context import current_reader, instance, login_required, roles_required
from webui.common.forms import ConfirmForm

bp = Blueprint("taxonomy", __name__, url_prefix="/taxonomie")
DECISION_LABELS = {"accepted": "acceptée", "rejected": "rejetée", "suggested": "suggérée"}


@bp.get("/")
def tree() -> str:
    ctx = instance()
    reader = current_reader()
    schemes = list_schemes(ctx)
    shown = request.args.get("schema") or (schemes[0].uri if schemes else None)
    nodes = taxonomy_tree(ctx, reader, shown) if shown else []
    return render_template("taxonomy/tree.html", nodes=nodes, schemes=schemes, shown=shown,
                           can_switch=can_edit_taxonomy(reader), form=ConfirmForm())


@bp.post("/schemas/etiquetage")
@roles_required("admin")
def switch_tagging() -> Response:
    """Use a scheme for automatic tagging, or stop (the next `kb tag` applies it)."""
    _checked_form()
    uri = request.form.get("scheme_uri", "")
    on = request.form.get("tagging") == "on"
    try:
        set_scheme_tagging(instance(), current_reader(), uri, on)
    except KbError as error:
        if error.status != 404:
            raise
        abort(404)
    use = "sert à l'étiquetage automatique" if on else "ne sert plus à l'étiquetage automatique"
    flash(f"Ce thésaurus {use} ; les documents seront ré-étiquetés au prochain passage "
          "(« kb tag »), les décisions des documentalistes sont conservées.", "success")
    return redirect(url_for("taxonomy.tree", schema=uri))


@bp.get("/concept")
def concept() -> str:
    uri = request.args.get("uri", "")
    if not uri:
        abort(404)
    reader = current_reader()
    view = concept_detail(instance(), uri)
    documents = concept_documents(instance(), reader, uri)
    return render_template("taxonomy/concept.html", view=view, documents=documents,
                           can_edit=can_edit_taxonomy(reader), form=ConfirmForm())


def _lines(name: str) -> list[str]:
    return [line.strip() for line in request.form.get(name, "").splitlines() if line.strip()]


def _checked_form() -> None:
    if not ConfirmForm().validate_on_submit():
        abort(400)


@bp.post("/concept/modifier")
@roles_required("admin")
def edit_concept() -> Response:
    _checked_form()
    uri = request.args.get("uri", "")
    try:
        update_concept(instance(), current_reader(), uri,
                       pref_label=request.form.get("pref_label", ""),
                       alt_labels=_lines("alt_labels"), hidden_labels=_lines("hidden_labels"),
                       definition=request.form.get("definition", ""))
        set_relations(instance(), current_reader(), uri, broader=_lines("broader"),
                      related=_lines("related"))
    except KbError as error:
        if error.status == 404:
            raise
        flash(f"Concept inchangé — {error.message}.", "error")
    else:
        flash("Concept enregistré.", "success")
    return redirect(url_for("taxonomy.concept", uri=uri))


@bp.post("/concept/deprecier")
@roles_required("admin")
def deprecate() -> Response:
    _checked_form()
    uri = request.args.get("uri", "")
    try:
        deprecate_concept(instance(), current_reader(), uri,
                          replaced_by=request.form.get("replaced_by", "").strip() or None)
    except KbError as error:
        if error.status == 404:
            raise
        flash(f"Concept non déprécié — {error.message}.", "error")
    else:
        flash("Concept déprécié ; ses étiquettes sont conservées.", "success")
    return redirect(url_for("taxonomy.concept", uri=uri))


@bp.get("/candidats")
@roles_required("collectif")
def candidates() -> str:
    reader = current_reader()
    return render_template("taxonomy/candidates.html", form=ConfirmForm(),
                           candidates=list_candidates(instance(), reader),
                           options=_flatten(taxonomy_tree(instance(), reader, counts=False)))


@bp.post("/candidats/<int:candidate_id>")
@roles_required("collectif")
def decide_candidate(candidate_id: int) -> Response:
    _checked_form()
    action = request.form.get("action")
    target = request.form.get("concept_uri", "").strip() or None
    try:
        if action == "dismiss":
            dismiss_candidate(instance(), current_reader(), candidate_id)
            flash("Candidat écarté.", "success")
        elif action == "alt":
            promote_candidate(instance(), current_reader(), candidate_id, alt_label_of=target)
            flash("Ajouté comme synonyme du concept choisi.", "success")
        else:
            promote_candidate(instance(), current_reader(), candidate_id, broader_uri=target)
            flash("Nouveau concept créé.", "success")
    except KbError as error:
        if error.status in (403, 404):
            raise
        flash(f"Candidat inchangé — {error.message}.", "error")
    return redirect(url_for("taxonomy.candidates"))


@bp.post("/documents/<doc_id>/etiquettes")
@login_required
def decide(doc_id: str) -> Response:
    """Accept, reject or add a tag on a document (documentalists only, checked by kb)."""
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    uri = request.form.get("concept_uri", "").strip()
    decision = request.form.get("decision", "accepted")
    try:
        view = set_tag_decision(instance(), current_reader(), doc_id, uri, decision)
    except KbError as error:
        if error.status in (403, 404):
            raise
        flash(f"Étiquette inchangée — {error.message}.", "error")
    else:
        flash(f"Étiquette « {view.label} » {DECISION_LABELS[view.state]}.", "success")
    return redirect(url_for("documents.show", doc_id=doc_id) + "#etiquettes")


def _flatten(nodes: list, depth: int = 0) -> list[tuple[str, str]]:  # type: ignore[type-arg]
    options: list[tuple[str, str]] = []
    for node in nodes:
        options.append((node.uri, "\u2003" * depth + node.label))
        options.extend(_flatten(node.children, depth + 1))
    return options


def tags_panel(document, reader):  # type: ignore[no-untyped-def]
    """The document's themes with confidence and why; review buttons for documentalists."""
    ctx = instance()
    if not has_taxonomy(ctx):
        return None
    reviewer = can_review_tags(reader)
    tags = document_tags(ctx, reader, document.id, include_rejected=reviewer)
    # every thesaurus's concepts, one group each (a tag may come from any of them)
    options = [(scheme.title, _flatten(taxonomy_tree(ctx, reader, scheme.uri, counts=False)))
               for scheme in list_schemes(ctx)] if reviewer else []
    status = tagging_state(ctx, document.id)
    return {"tags": tags, "reviewer": reviewer, "options": options, "form": ConfirmForm(),
            "decision_labels": DECISION_LABELS, "tagging": status,
            "tagging_interrupted": status is not None and is_interrupted(status)}

