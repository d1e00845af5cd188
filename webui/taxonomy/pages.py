"""Taxonomy pages: the tree with document counts, concept pages, tag review (the curation
forms and the candidates are in `webui.taxonomy.curation`, on the same blueprint)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from kb.errors import KbError
from kb.taxonomy.editing import can_edit_taxonomy
from kb.taxonomy.reading import filter_tree, has_taxonomy, list_schemes, taxonomy_tree
from kb.taxonomy.schemes import set_scheme_tagging
from kb.taxonomy.tag_review import can_review_tags, document_tags, set_tag_decision
from kb.taxonomy.tagging_status import is_interrupted, tagging_state
from webui.common.context import current_reader, instance, login_required, roles_required
from webui.common.forms import ConfirmForm
from webui.taxonomy.blueprint import bp, checked_form
from webui.taxonomy.curation import render_concept
from webui.taxonomy.picker import concept_groups

__all__ = ["bp", "tags_panel"]

DECISION_LABELS = {"accepted": "acceptée", "rejected": "rejetée", "suggested": "suggérée"}


@bp.get("/")
def tree() -> str:
    """The theme tree, folded below its first level; `filtre` keeps the branches of the
    concepts one of whose labels contains it (the page's script does the same as you type)."""
    ctx = instance()
    reader = current_reader()
    schemes = list_schemes(ctx)
    shown = request.args.get("schema") or (schemes[0].uri if schemes else None)
    wanted = request.args.get("filtre", "").strip()[:100]
    nodes = taxonomy_tree(ctx, reader, shown) if shown else []
    kept, found = filter_tree(nodes, wanted)
    return render_template("taxonomy/tree.html", nodes=kept, has_taxonomy=bool(nodes),
                           filter_text=wanted, match_count=found, schemes=schemes,
                           shown=shown, can_switch=can_edit_taxonomy(reader),
                           form=ConfirmForm())


@bp.post("/schemas/etiquetage")
@roles_required("admin")
def switch_tagging() -> Response:
    """Use a scheme for automatic tagging, or stop (the next `kb tag` applies it)."""
    checked_form()
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
def concept() -> tuple[str, int]:
    uri = request.args.get("uri", "")
    if not uri:
        abort(404)
    return render_concept(uri)


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


def tags_panel(document, reader):  # type: ignore[no-untyped-def]
    """The document's themes; for documentalists, the suggestions too, with confidence, why,
    and the review buttons."""
    ctx = instance()
    if not has_taxonomy(ctx):
        return None
    reviewer = can_review_tags(reader)
    tags = document_tags(ctx, reader, document.id)
    # Members (who may have just deposited it) learn that themes are coming or failed;
    # visitors see nothing of the machinery.
    status = tagging_state(ctx, document.id) if reader.user_id is not None else None
    if not (tags or reviewer or (status is not None and status.state != "fait")):
        return None
    # every thesaurus's concepts, one group each (a tag may come from any of them)
    options = concept_groups(ctx, reader) if reviewer else []
    return {"tags": tags, "reviewer": reviewer, "options": options, "form": ConfirmForm(),
            "decision_labels": DECISION_LABELS, "tagging": status,
            "tagging_interrupted": status is not None and is_interrupted(status)}

