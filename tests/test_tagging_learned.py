"""The learned tagger end to end: trained on people's decisions by `kb tag`, it suggests
concepts no label names, explains them by similar documents, never overrides a decision,
retrains when decisions change and leaves label matching alone where it knows nothing."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from click.testing import CliRunner

from kb.cli.main import main
from kb.context import KbContext
from kb.ingestion.batches import ingest_paths
from kb.models import DocumentTag
from kb.taxonomy.learning import learned_tagger
from kb.taxonomy.skos_import import import_skos
from kb.taxonomy.tag_import import import_tags
from kb.taxonomy.tag_review import document_tags, set_tag_decision
from kb.taxonomy.tagging import documents_to_tag, tag_documents
from kb.visibility import Reader
from tests.conftest import CORPUS
from tests.test_tagging import doc_id

C = "https://kb.fabriquedestransitions.fr/taxonomie/c/"
# Concepts people gave these documents, though no label of theirs occurs in them.
SYSTEMIC, DESIGN = C + "approche-systemique", C + "design-des-politiques-publiques"
TIERS_LIEUX = C + "tiers-lieux"
MOBILITY = [
    "Le vélo à assistance électrique change les trajets quotidiens des habitants.",
    "Les pistes cyclables relient désormais les hameaux au bourg et à la gare.",
    "Le covoiturage organisé entre voisins remplace la seconde voiture du foyer.",
    "Une navette solidaire conduit les personnes âgées au marché le jeudi.",
    "Les trajets domicile-travail en voiture individuelle diminuent chaque année.",
    "Le garage associatif répare les vélos et prête des remorques aux familles.",
    "Un atelier apprend aux collégiens à circuler à vélo en sécurité.",
    "La ligne de car du département passe trop rarement dans les villages.",
    "Les bornes de recharge et l'autopartage arrivent sur la place de la mairie.",
    "Les conducteurs bénévoles se relaient pour les rendez-vous médicaux.",
]
CANTEEN = [
    "La cuisine centrale prépare chaque jour les repas des écoles de la vallée.",
    "Les maraîchers livrent des légumes de saison à la cantine scolaire.",
    "Le menu végétarien hebdomadaire a été adopté après un essai concluant.",
    "Le gaspillage des plateaux a baissé de moitié grâce aux pesées.",
    "Les cuisiniers ont suivi une formation pour cuisiner les légumineuses.",
    "Les parents d'élèves goûtent les nouveaux plats lors d'une commission menus.",
    "Le pain vient du boulanger du village et la viande d'un éleveur voisin.",
    "Les repas bio représentent maintenant la moitié des achats de denrées.",
    "Un potager pédagogique occupe la cour de l'école primaire.",
    "Les restes sont compostés dans le jardin partagé derrière le réfectoire.",
]


def write_corpus(folder: Path) -> Path:
    """Twelve documents on each subject, plus one on a subject nobody tagged."""
    folder.mkdir(parents=True)
    rng = random.Random(3)
    for topic, sentences, title in (("mobilite", MOBILITY, "Se déplacer autrement"),
                                    ("cantine", CANTEEN, "À la cantine")):
        for number in range(12):
            body = " ".join(rng.sample(sentences, 6))
            (folder / f"{topic}-{number:02d}.md").write_text(
                f"---\ntitre: \"{title} ({number})\"\n---\n\n{body}\n", encoding="utf-8")
    (folder / "friche.md").write_text(
        "---\ntitre: \"Un tiers-lieu dans l'ancienne filature\"\n---\n\nLe tiers-lieu "
        "accueille un fab lab, une recyclerie et des permanences d'écrivain public. Les "
        "tiers-lieux du réseau régional partagent leurs outils.\n", encoding="utf-8")
    return folder


@pytest.fixture
def learning(ctx: KbContext, tmp_path: Path) -> KbContext:
    """The corpus ingested (tagged by labels), and the decisions of a documentalist on ten
    documents of each subject, imported."""
    import_skos(ctx, CORPUS / "taxonomy" / "doctrine-fdt.ttl")
    assert not ingest_paths(ctx, [write_corpus(tmp_path / "docs")]).failed
    decisions = tmp_path / "decisions.tsv"
    decisions.write_text("".join(
        f"mobilite-{n:02d}.md\t{SYSTEMIC}\ncantine-{n:02d}.md\t{DESIGN}\n" for n in range(10)),
        encoding="utf-8")
    assert import_tags(ctx, decisions).added == 20
    return ctx


def tags_of(ctx: KbContext, key: str) -> dict[str, object]:
    return {t.concept_uri: t for t in document_tags(ctx, Reader.operator(), doc_id(ctx, key))}


def test_the_learned_tagger_suggests_and_explains_by_similar_documents(
        learning: KbContext, runner: CliRunner) -> None:
    result = runner.invoke(main, ["tag"])
    assert result.exit_code == 0, result.output
    assert "Étiqueteur appris : entraîné" in result.output and "20 document(s)" in result.output
    assert "réévalué(s) par l'étiqueteur appris" in result.output
    tag = tags_of(learning, "mobilite-11.md")[SYSTEMIC]
    assert (tag.state, tag.origin) == ("suggested", "auto")  # type: ignore[attr-defined]
    assert 0.5 <= tag.confidence <= 1  # type: ignore[attr-defined]
    model = tag.explanation["model"]  # type: ignore[attr-defined]
    assert len(tag.similar) == len(model["neighbours"])  # type: ignore[attr-defined]
    assert model["support"] >= 5 and len(model["neighbours"]) >= 5
    neighbours = {doc_id(learning, f"mobilite-{n:02d}.md") for n in range(10)}
    assert set(model["neighbours"]) <= neighbours  # documents of the same subject
    assert DESIGN not in tags_of(learning, "mobilite-11.md")
    assert DESIGN in tags_of(learning, "cantine-11.md")
    # a training document is not its own neighbour
    own = tags_of(learning, "mobilite-00.md")[SYSTEMIC]
    assert own.state == "accepted"  # type: ignore[attr-defined]
    assert "Rien à ré-étiqueter" in runner.invoke(main, ["tag"]).output


def test_a_document_unlike_any_tagged_one_keeps_label_matching(learning: KbContext) -> None:
    tag_documents(learning, [])
    tags = tags_of(learning, "friche.md")
    assert TIERS_LIEUX in tags and not {SYSTEMIC, DESIGN} & set(tags)
    explanation = tags[TIERS_LIEUX].explanation  # type: ignore[attr-defined]
    assert "model" not in explanation and explanation["label_confidence"] > 0.6
    assert tags[TIERS_LIEUX].passages  # type: ignore[attr-defined]


def test_decisions_are_never_overridden_and_the_tagger_retrains(learning: KbContext) -> None:
    first = tag_documents(learning, [])
    assert first.learned is not None and first.learned.trained
    operator = Reader.operator()
    rejected_on, accepted_on = doc_id(learning, "mobilite-10.md"), doc_id(learning,
                                                                          "cantine-10.md")
    set_tag_decision(learning, operator, rejected_on, SYSTEMIC, "rejected")
    set_tag_decision(learning, operator, accepted_on, SYSTEMIC, "accepted")  # odd, but theirs
    assert not learned_tagger(learning, train=False).tagger  # decisions changed: stale
    second = tag_documents(learning, documents_to_tag(learning, everything=True))
    assert second.learned is not None and second.learned.trained
    assert second.learned.fingerprint != first.learned.fingerprint
    assert second.learned.documents == 21  # the accepted tag made one more training document
    assert tags_of(learning, "mobilite-10.md")[SYSTEMIC].state == "rejected"  # type: ignore
    assert tags_of(learning, "cantine-10.md")[SYSTEMIC].state == "accepted"  # type: ignore
    with learning.sessions() as session:
        decided = session.query(DocumentTag).filter(DocumentTag.state != "suggested").count()
    assert decided == 22
    third = tag_documents(learning, [])
    assert third.learned is not None and not third.learned.trained  # nothing changed


def test_the_model_is_derived_data(learning: KbContext) -> None:
    trained = tag_documents(learning, []).learned
    assert trained is not None and trained.tagger is not None
    folder = learning.settings.home / "models"
    for path in folder.iterdir():
        path.unlink()
    again = learned_tagger(learning)  # rebuilt from the database, the same
    assert again.trained and again.fingerprint == trained.fingerprint
    assert again.tagger is not None
    assert again.tagger.model.concepts == trained.tagger.model.concepts
