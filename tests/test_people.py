"""The directory of allies on the shipped corpus: profiles from the documents' people,
matching, search by theme and territory with reasons, privacy on every channel."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator

import pytest
import schemathesis
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from kb.accounts.users import create_user, reader_for
from kb.config import Settings
from kb.context import KbContext
from kb.models import Concept, ConceptScheme, Document, DocumentTag, Mention, Person, User
from kb.people.directory import search_directory
from kb.people.lifecycle import delete_person, export_person
from kb.people.names import closeness, name_key, parse_person
from kb.people.profiles import create_own_profile, get_profile, set_consent, update_profile
from kb.people.query import DirectoryQuery
from kb.people.question import understand
from kb.people.review import (
    claim_profile,
    confirm_mention,
    decide_claim,
    merge_people,
    review_queue,
)
from kb.people.territories import link_territory
from kb.visibility import Reader
from tests.conftest import PASSWORD, Auth, csrf_token, tagged_corpus
from tests.instances import InstanceTemplates

OPERATOR = Reader.operator()


@pytest.fixture(scope="module")
def corpus_ctx(tmp_path_factory: pytest.TempPathFactory,
               sqlite_templates: InstanceTemplates) -> Iterator[KbContext]:
    """The shipped corpus ingested, hence tagged, on an instance with the thesaurus."""
    from kb.instance import open_instance

    ctx = open_instance(sqlite_templates.copy(tagged_corpus, tmp_path_factory.mktemp("people")))
    yield ctx
    ctx.close()


@pytest.mark.parametrize(("text", "kind", "dep", "region"), [
    ("Ambert (63)", "commune", "63", "84"),
    ("Puy-de-Dôme", "departement", "63", "84"),
    ("Auvergne-Rhône-Alpes", "region", "", "84"),
    ("63600 Ambert", "commune", "63", "84"),
    ("Département des Pyrénées-Orientales", "departement", "66", "76"),
    ("Communauté de communes Cœur de Savoie", "epci", "73", "84"),
    ("Haute-Savoie", "departement", "74", "84"),
    ("Ville d'Annecy", "commune", "74", "84"),
    ("PETR du Pays Midi-Quercy", "petr", "", ""),
    ("au nord de la ville", "", "", ""),
    ("Département du Nord", "departement", "59", "32"),
    ("Ajaccio (2A)", "commune", "2A", "94"),
])
def test_territories_meet_in_departements_and_regions(text: str, kind: str, dep: str,
                                                      region: str) -> None:
    territory = link_territory(text)
    assert (territory.text, territory.kind, territory.departement, territory.region) == (
        text, kind, dep, region)


@pytest.mark.parametrize(("entry", "name", "detail"), [
    ("Josiane Vidal — élue à l'agriculture", "Josiane Vidal", "élue à l'agriculture"),
    ("Hélène Carrière, directrice du PETR", "Hélène Carrière", "directrice du PETR"),
    ("BENALI Aïcha", "Aïcha Benali", ""),
    ({"name": "Jean Santoni", "role": "témoin"}, "Jean Santoni", "témoin"),
])
def test_names_are_read_with_their_role(entry: object, name: str, detail: str) -> None:
    assert parse_person(entry) == parse_person(entry) and parse_person(entry).name == name
    assert parse_person(entry).detail == detail


@pytest.mark.parametrize("entry", ["", "Maieuticien", "Association Les Ateliers", "Collectif"])
def test_organisations_and_single_words_are_not_people(entry: str) -> None:
    assert parse_person(entry) is None


@pytest.mark.parametrize(("a", "b", "expected"), [
    ("Aïcha Benali", "AICHA BENALI", "variante"),
    ("Jean-Marc Rivière", "Jean Marc Riviere", "variante"),
    ("J.-M. Rivière", "Jean-Marc Rivière", "initiales"),
    ("Benali Aïcha", "Aïcha Benali", "ordre"),
    ("Aicha Benalli", "Aïcha Benali", "proche"),
    ("Yann Le Goff", "Gaëlle Le Goff", None),
])
def test_closeness_of_names(a: str, b: str, expected: str | None) -> None:
    assert closeness(name_key(a), name_key(b)) == expected


def _person(ctx: KbContext, name: str) -> Person:
    with ctx.sessions() as session:
        found = list(session.scalars(select(Person).where(Person.name_key == name_key(name))))
    assert len(found) == 1, name
    return found[0]


def _uri(ctx: KbContext, label: str) -> str:
    with ctx.sessions() as session:
        uri = session.scalar(select(Concept.uri).where(Concept.pref_label == label))
    assert uri, label
    return uri


def test_profiles_are_made_for_the_corpus_narrators_and_authors(corpus_ctx: KbContext) -> None:
    with corpus_ctx.sessions() as session:
        narrators = {(m.name, m.detail) for m in session.scalars(
            select(Mention).where(Mention.role == "narrateur"))}
        people = session.scalar(select(Person.id).limit(1))
        pending = list(session.scalars(select(Mention).where(Mention.state == "a-verifier")))
    assert ("Hélène Carrière", "directrice du PETR") in narrators
    assert len(narrators) >= 16 and people
    # One name written once close to another (Yannick / Yann Le Goff) waits for a person.
    assert [m.name for m in pending] == ["Yannick Le Goff"]
    benali = _person(corpus_ctx, "Aïcha Benali")
    assert benali.visibility == "association" and benali.consent_at is None


def test_a_profile_counts_the_themes_of_its_evidence(corpus_ctx: KbContext) -> None:
    """Each theme once per piece of evidence carrying it (found by the pages' crawl test)."""
    benali = _person(corpus_ctx, "Aïcha Benali")
    view = get_profile(corpus_ctx, Reader.operator(), benali.id)
    assert view.themes, "her sheets have themes"
    assert all(isinstance(count, int) and 1 <= count <= len(view.evidence)
               for _uri, _label, count in view.themes)


def test_search_by_theme_and_departement_ranks_on_evidence(corpus_ctx: KbContext) -> None:
    page = search_directory(corpus_ctx, OPERATOR, DirectoryQuery(
        themes=[_uri(corpus_ctx, "alimentation")], territories=["dep:32"]))
    names = [r.person.name for r in page.results]
    assert names == ["Marion Dupouy", "Aïcha Benali"]  # the narrator first, then the mediator
    assert page.results[0].reasons[0] == ("1 fiche d'expérience publiée sur « alimentation », "
                                          "dans le département Gers (32)")
    region = search_directory(corpus_ctx, OPERATOR, DirectoryQuery(
        themes=[_uri(corpus_ctx, "alimentation")], territories=["reg:76"]))
    assert [r.person.name for r in region.results] == names
    assert "en Occitanie" in region.results[0].reasons[0]


QUESTION = "qui a accompagné une démarche d'alimentation durable dans un PETR ?"


@pytest.mark.parametrize(("text", "concepts", "place", "words"), [
    (QUESTION, ["alimentation"], ("petr", "", ""), "alimentation durable"),
    ("projet alimentaire territorial dans le Gers", ["projet alimentaire territorial"],
     ("", "32", "76"), "projet alimentaire territorial"),
    ("communes rurales de Haute-Savoie", [], ("commune", "74", "84"), "rurales"),
    # « ça » is no communauté d'agglomération, « nord » in lower case no département.
    ("ça marche au nord", [], None, "ça marche nord"),
    ("Claire Fontaine", [], None, "Claire Fontaine"),
])
def test_a_question_names_themes_and_places(corpus_ctx: KbContext, text: str,
                                            concepts: list[str],
                                            place: tuple[str, str, str] | None,
                                            words: str) -> None:
    understood = understand(corpus_ctx, text)
    assert sorted(understood.concepts.values()) == concepts
    found = understood.place
    assert (found and (found.kind, found.departement, found.region)) == place
    assert understood.words == words


def test_a_question_ranks_evidence_on_its_theme_and_place_first(corpus_ctx: KbContext) -> None:
    """The narrator and the maïeuticienne of the sheet on food in a PETR come before the
    prolific authors whose many documents merely share some words with the question."""
    page = search_directory(corpus_ctx, OPERATOR, DirectoryQuery(QUESTION))
    names = [r.person.name for r in page.results]
    assert names[0] == "Bertrand Lacoste"
    assert page.results[0].reasons[0] == ("1 fiche d'expérience publiée sur « alimentation », "
                                          "dans un territoire de type « PETR ou pays »")
    assert names.index("Nadia Ferrand") < 5
    on_theme = {"Bertrand Lacoste", "Nadia Ferrand", "Marion Dupouy", "Aïcha Benali",
                "Nadège Perrault", "Sophie Delmas", "Bastien Roux", "Amandine Chevalier"}
    assert set(names[:8]) == on_theme
    assert "Jean-Marc Rivière" not in names[:8] and "Mathieu Lebrun" not in names[:8]
    # A question naming a place only keeps to that place.
    gers = search_directory(corpus_ctx, OPERATOR, DirectoryQuery("qui a travaillé dans le Gers ?"))
    assert [r.person.name for r in gers.results] == ["Marion Dupouy", "Aïcha Benali"]


def test_visitors_see_only_consenting_public_profiles(corpus_ctx: KbContext) -> None:
    assert search_directory(corpus_ctx, Reader.anonymous(), DirectoryQuery()).results == []
    member = Reader(user_id=10_000, roles=frozenset({"allie"}))
    assert search_directory(corpus_ctx, member, DirectoryQuery()).results == []


@pytest.fixture
def instance(settings: Settings) -> Iterator[KbContext]:
    """A small instance: two public sheets, a confidential one, an account per need."""
    from kb.instance import open_instance

    ctx = open_instance(settings)
    with ctx.sessions.begin() as session:
        for key, title, visibility, territory in (
                ("a", "Cantine bio du Gers", "public", "Département du Gers"),
                ("b", "Marché paysan d'Auch", "public", "Auch (32)"),
                ("c", "Secret d'un PAT", "restreint", "Département du Gers")):
            session.add(Document(source_key=key, title=title, kind="fiche-experience",
                                 authors=["Lucie Martin", "Paul Durand"], territory=territory,
                                 visibility=visibility, groups=["collectif"],
                                 extra={"narrateur": "Lucie Martin, cheffe de cuisine"},
                                 content_hash=(key * 64)[:64], media_type="text/markdown",
                                 original_name=f"{key}.md", text=title))
    yield ctx
    ctx.close()


def _consent(ctx: KbContext, name: str, visibility: str) -> Person:
    person = _person(ctx, name)
    set_consent(ctx, OPERATOR, person.id, visibility, True, "courriel du 3 mars")
    return person


def _tag_secret_sheet(ctx: KbContext) -> str:
    """Tag only the confidential sheet with a concept of its own; return its URI."""
    uri = "https://exemple.fr/c/pat-secret"
    with ctx.sessions.begin() as session:
        scheme = ConceptScheme(uri="https://exemple.fr/s", title="Essai")
        concept = Concept(scheme=scheme, uri=uri, pref_label="projet secret")
        secret = session.scalar(select(Document).where(Document.source_key == "c"))
        session.add_all([scheme, concept])
        session.flush()
        session.add(DocumentTag(document_id=secret.id, concept_id=concept.id,
                                state="accepted"))
    return uri


def test_confidential_evidence_is_never_counted(instance: KbContext) -> None:
    _consent(instance, "Lucie Martin", "public")
    secret_theme = _tag_secret_sheet(instance)
    visitor = search_directory(instance, Reader.anonymous(), DirectoryQuery(
        territories=["dep:32"]))
    assert [r.person.name for r in visitor.results] == ["Lucie Martin"]
    assert len(visitor.results[0].evidence) == 2
    assert "Secret" not in str(visitor.results[0].reasons)
    # Neither a facet value nor a search by the theme only the confidential sheet carries.
    assert secret_theme not in [v.value for f in visitor.facets for v in f.values]
    assert search_directory(instance, Reader.anonymous(), DirectoryQuery(
        themes=[secret_theme])).results == []
    collective = Reader(user_id=99, roles=frozenset({"collectif"}))
    seen = search_directory(instance, collective, DirectoryQuery(themes=[secret_theme]))
    assert [len(r.evidence) for r in seen.results] == [3]
    assert seen.results[0].reasons[0] == "1 fiche d'expérience publiée sur « projet secret »"


def test_consent_is_required_from_the_association_with_a_note(instance: KbContext) -> None:
    from kb.errors import InvalidInput

    paul = _person(instance, "Paul Durand")
    with pytest.raises(InvalidInput, match="comment la personne"):
        set_consent(instance, OPERATOR, paul.id, "public", True, "")
    set_consent(instance, OPERATOR, paul.id, "public", True, "formulaire papier")
    set_consent(instance, OPERATOR, paul.id, "public", False)
    assert search_directory(instance, Reader.anonymous(), DirectoryQuery()).results == []
    assert [c["action"] for c in export_person(instance, OPERATOR, paul.id)["accords"]] == [
        "accord", "retrait"]


def test_a_new_document_with_a_known_name_links_and_a_near_one_waits(
        instance: KbContext) -> None:
    with instance.sessions.begin() as session:
        session.add(Document(source_key="d", title="Autre", authors=["LUCIE MARTIN",
                                                                      "L. Martin"],
                             content_hash="d" * 64, media_type="text/plain",
                             original_name="d.txt", visibility="public"))
    with instance.sessions() as session:
        rows = {m.name: (m.state, m.method) for m in session.scalars(
            select(Mention).join(Document).where(Document.source_key == "d"))}
    assert rows == {"Lucie Martin": ("lie", "exact"), "L. Martin": ("a-verifier", "")}
    assert [p.mention.name for p in review_queue(instance, OPERATOR).mentions] == ["L. Martin"]


def test_a_confirmed_full_name_names_the_profile_made_from_initials(
        instance: KbContext) -> None:
    with instance.sessions.begin() as session:
        for key, author in (("i", "J. Santoni"), ("j", "Jean Santoni")):
            session.add(Document(source_key=key, title=key, authors=[author],
                                 content_hash=key * 64, media_type="text/plain",
                                 original_name=f"{key}.txt"))
    [pending] = review_queue(instance, OPERATOR).mentions
    assert (pending.mention.name, pending.suggested.name) == ("Jean Santoni", "J. Santoni")
    confirm_mention(instance, OPERATOR, pending.mention.id, pending.suggested.id)
    assert _person(instance, "Jean Santoni").id == pending.suggested.id
    assert not review_queue(instance, OPERATOR).mentions


def test_claim_merge_and_deletion(instance: KbContext) -> None:
    user = create_user(instance, "lucie@exemple.fr", PASSWORD, "allie",
                       display_name="Lucie Martin")
    lucie_reader = reader_for(user)
    own = create_own_profile(instance, lucie_reader)
    documents_profile = [p for p in _people(instance) if p.user_id is None
                         and p.name == "Lucie Martin"][0]
    claim_profile(instance, lucie_reader, documents_profile.id)
    decide_claim(instance, OPERATOR, documents_profile.id, accept=True)
    with instance.sessions() as session:
        assert session.get(Person, own.id) is None  # merged into the claimed profile
        merged = session.get(Person, documents_profile.id)
        assert merged.user_id == user.id
    update_profile(instance, lucie_reader, merged.id, {"headline": "Cheffe de cuisine"})
    with instance.sessions() as session:
        doc_a = session.scalar(select(Document.id).where(Document.source_key == "a"))
    assert delete_person(instance, lucie_reader, merged.id, [doc_a]) == 1
    with instance.sessions() as session:
        document = session.get(Document, doc_a)
        assert document.authors == ["Paul Durand"]
        assert document.extra["narrateur"] == ""
        assert not [p for p in session.scalars(select(Person)) if p.name == "Lucie Martin"]
    # A later document naming her makes no new profile.
    with instance.sessions.begin() as session:
        session.add(Document(source_key="e", title="E", authors=["Lucie Martin"],
                             content_hash="e" * 64, media_type="text/plain",
                             original_name="e.txt"))
    assert not [p for p in _people(instance) if p.name == "Lucie Martin"]


def _people(ctx: KbContext) -> list[Person]:
    with ctx.sessions() as session:
        return list(session.scalars(select(Person)))


def test_merge_refuses_two_accounts(instance: KbContext) -> None:
    from kb.errors import Conflict

    users = [create_user(instance, f"u{i}@exemple.fr", PASSWORD, "allie",
                         display_name=f"Membre Numéro{i}") for i in (1, 2)]
    a, b = (create_own_profile(instance, reader_for(u)) for u in users)
    with pytest.raises(Conflict):
        merge_people(instance, OPERATOR, a.id, b.id)


# The web and the API: one test per channel that a visitor never sees the confidential.

@pytest.fixture
def web(app: Flask, client: FlaskClient) -> tuple[FlaskClient, KbContext]:
    ctx = app.extensions["kb"]
    with ctx.sessions.begin() as session:
        for key, visibility in (("pub", "public"), ("sec", "restreint")):
            session.add(Document(source_key=key, title=f"Fiche {key} au Gers",
                                 kind="fiche-experience", authors=["Lucie Martin"],
                                 territory="Gers", visibility=visibility, groups=["collectif"],
                                 content_hash=(key * 32)[:64], media_type="text/plain",
                                 original_name="x.txt", text="x"))
    return client, ctx


def test_pages_and_exports_hide_what_a_visitor_may_not_see(
        web: tuple[FlaskClient, KbContext]) -> None:
    client, ctx = web
    assert "Lucie Martin" not in client.get("/annuaire/").get_data(as_text=True)
    lucie = _consent(ctx, "Lucie Martin", "public")
    update_profile(ctx, OPERATOR, lucie.id, {"contact_email": "lucie@exemple.fr"})
    html = client.get("/annuaire/?territoire=dep:32").get_data(as_text=True)
    assert "Lucie Martin" in html and "Fiche sec" not in html
    assert "1 fiche d&#39;expérience publiée, dans le département Gers (32)" in html
    profile = client.get(f"/annuaire/personnes/{lucie.id}").get_data(as_text=True)
    assert "Fiche pub au Gers" in profile and "Fiche sec" not in profile
    assert "@" not in profile.split("<main", 1)[1]  # no address for a visitor
    rows = list(csv.DictReader(io.StringIO(client.get("/annuaire/export.csv")
                                           .get_data(as_text=True).lstrip("\ufeff"))))
    assert [(r["nom"], r["fiches"], r["courriel"]) for r in rows] == [("Lucie Martin", "1", "")]
    vcard = client.get("/annuaire/export.vcf").get_data(as_text=True)
    assert "FN:Lucie Martin" in vcard and "EMAIL" not in vcard
    docx = client.get(f"/annuaire/personnes/{lucie.id}/preuves.docx").data
    body = zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode()
    assert "Fiche pub au Gers" in body and "Fiche sec" not in body
    facets = re.findall(r'facet-count">(\d+)<', html)
    assert facets and max(map(int, facets)) == 1


def test_document_page_says_who_did_it(web: tuple[FlaskClient, KbContext]) -> None:
    client, ctx = web
    with ctx.sessions() as session:
        doc_id = session.scalar(select(Document.id).where(Document.source_key == "pub"))
    html = client.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert "Qui a fait cela ?" in html and "/annuaire/personnes/" not in html
    lucie = _consent(ctx, "Lucie Martin", "public")
    html = client.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert f"/annuaire/personnes/{lucie.id}" in html


def test_an_ally_claims_completes_and_consents(web: tuple[FlaskClient, KbContext],
                                               auth: Auth) -> None:
    client, ctx = web
    user = create_user(ctx, "lucie@exemple.fr", PASSWORD, "allie", display_name="Lucie Martin")
    auth.login_as("lucie@exemple.fr", PASSWORD)
    start = client.get("/annuaire/mon-profil").get_data(as_text=True)
    assert "Est-ce vous ?" in start
    target = _person(ctx, "Lucie Martin").id
    client.post(f"/annuaire/mon-profil/reclamer/{target}",
                data={"csrf_token": csrf_token(client, "/annuaire/mon-profil")})
    decide_claim(ctx, OPERATOR, target, accept=True)
    page = f"/annuaire/personnes/{target}/modifier"
    response = client.post(page, data={
        "csrf_token": csrf_token(client, page), "name": "Lucie Martin",
        "headline": "Cheffe de cuisine", "organisation": "Cantines du Gers",
        "organisation_kind": "association", "territories": "Auch (32)",
        "competences": "alimentation", "visibility": "membres", "show_contact": "membres",
        "show_organisations": "public", "show_territoires": "public", "consent": "y"})
    assert response.status_code == 302
    with ctx.sessions() as session:
        person = session.get(Person, target)
        assert person.consent_at and person.visibility == "membres"
        assert person.user_id == session.scalar(select(User.id).where(User.id == user.id))
    auth.logout()
    assert "Lucie Martin" not in client.get("/annuaire/").get_data(as_text=True)
    auth.login("allie")
    assert "Cheffe de cuisine" in client.get("/annuaire/?organisation=association").get_data(
        as_text=True)


def test_an_organisation_shows_the_members_and_evidence_a_reader_may_see(
        web: tuple[FlaskClient, KbContext], auth: Auth) -> None:
    client, ctx = web
    user = create_user(ctx, "lucie@exemple.fr", PASSWORD, "allie", display_name="Lucie Martin")
    lucie = _consent(ctx, "Lucie Martin", "public")
    with ctx.sessions.begin() as session:
        session.get(Person, lucie.id).user_id = user.id
    update_profile(ctx, OPERATOR, lucie.id, {"organisations": [
        {"name": "Cantines du Gers", "kind": "association", "role": "cheffe"}]})
    listing = client.get("/annuaire/organisations/").get_data(as_text=True)
    organisation_id = re.search(r'/annuaire/organisations/(\w+)"', listing)[1]
    page = client.get(f"/annuaire/organisations/{organisation_id}").get_data(as_text=True)
    assert "Lucie Martin" in page and "cheffe" in page
    assert "Fiche pub au Gers" in page and "Fiche sec" not in page
    assert "Modifier l&#39;organisation" not in page
    # Her account edits it; another member may not.
    auth.login("allie")
    assert client.get(f"/annuaire/organisations/{organisation_id}/modifier").status_code == 403
    auth.logout()
    auth.login_as("lucie@exemple.fr", PASSWORD)
    edit = f"/annuaire/organisations/{organisation_id}/modifier"
    response = client.post(edit, data={"csrf_token": csrf_token(client, edit),
                                       "kind": "association", "territory": "Auch (32)",
                                       "website": "https://cantines.example",
                                       "presentation": "Cuisiner local."})
    assert response.status_code == 302
    assert "Cuisiner local." in client.get(response.location).get_data(as_text=True)
    auth.logout()
    # Once she shows her organisations to the association only, a visitor no longer sees
    # the organisation at all.
    update_profile(ctx, OPERATOR, lucie.id, {"field_visibility": {
        "organisations": "association"}})
    assert client.get(f"/annuaire/organisations/{organisation_id}").status_code == 404
    assert "Cantines du Gers" not in client.get("/annuaire/organisations/").get_data(
        as_text=True)


def test_the_api_answers_as_the_reader_may_see(web: tuple[FlaskClient, KbContext],
                                               auth: Auth) -> None:
    """The directory's JSON keeps to its OpenAPI description, and to the person's choices:
    a visitor gets no contact, no hidden field, no evidence from a confidential document."""
    client, ctx = web
    app = client.application
    api = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    lucie = _person(ctx, "Lucie Martin")
    assert client.get("/api/annuaire").get_json()["total"] == 0
    assert client.get(f"/api/annuaire/personnes/{lucie.id}").status_code == 404
    _consent(ctx, "Lucie Martin", "public")
    update_profile(ctx, OPERATOR, lucie.id, {
        "contact_email": "lucie@exemple.fr", "territories": ["Auch (32)"],
        "organisations": [{"name": "Cantines du Gers", "kind": "association"}],
        "field_visibility": {"organisations": "membres"}})
    listing = client.get("/api/annuaire?territoire=dep:32")
    api["/api/annuaire"]["GET"].validate_response(listing)
    body = listing.get_json()
    [found] = body["results"]
    assert (found["name"], found["contact"], found["organisations"]) == ("Lucie Martin", None, [])
    assert [e["title"] for e in found["evidence"]] == ["Fiche pub au Gers"]
    assert found["evidence_count"] == 1 and found["territories"] == ["Auch (32)"]
    assert all(v["count"] <= 1 for facet in body["facets"] for v in facet["values"])
    profile = client.get(f"/api/annuaire/personnes/{lucie.id}")
    api["/api/annuaire/personnes/{person_id}"]["GET"].validate_response(profile)
    assert "Fiche sec" not in profile.get_data(as_text=True)
    assert "@" not in profile.get_data(as_text=True)
    # A member of the group the confidential sheet is for sees it, and the contact.
    auth.login("collectif")
    member = client.get(f"/api/annuaire/personnes/{lucie.id}").get_json()
    assert {e["title"] for e in member["evidence"]} == {"Fiche pub au Gers", "Fiche sec au Gers"}
    assert member["contact"]["email"] == "lucie@exemple.fr"
    assert [o["name"] for o in member["organisations"]] == ["Cantines du Gers"]
