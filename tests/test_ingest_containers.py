"""Exports and archives cut into entries: JSON Lines, JSON arrays, ZIPs, hostile ZIPs."""

from __future__ import annotations

import io
import json
import stat
import zipfile
from pathlib import Path

import pytest

from ingest.containers import expand
from ingest.limits import Limits
from ingest.model import ReadError
from ingest.registry import read_bytes
from tests.filemakers import make_docx, make_odt


def zip_bytes(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def jsonl(*records: object) -> bytes:
    return b"\n".join(json.dumps(r, ensure_ascii=False).encode() for r in records) + b"\n"


def test_jsonl_records_become_entries_with_their_own_original() -> None:
    data = jsonl({"id": 7, "title": "Cantine bio", "text": "Les repas.\n\nLe bio.",
                  "type": "fiche d'expérience", "auteurs": ["A. Roy"], "territoire": "Gers"},
                 {"id": "b-2", "titre": "Outil", "texte": "# Étapes\n\nUn.", "format": "markdown"})
    entries = list(expand(data, "export.jsonl"))
    assert [e.suffix for e in entries] == ["#7", "#b-2"]
    assert json.loads(entries[0].data)["title"] == "Cantine bio"
    first = read_bytes(entries[0].data, entries[0].name, entries[0].media_type)
    assert (first.title, first.authors, first.text) == ("Cantine bio", ["A. Roy"],
                                                        "Les repas.\n\nLe bio.")
    assert first.metadata["territoire"] == "Gers"
    second = read_bytes(entries[1].data, entries[1].name, entries[1].media_type)
    assert second.headings == ["Étapes"] and second.title == "Outil"


def test_jsonl_bad_lines_are_errors_and_the_others_go_on() -> None:
    data = (jsonl({"id": 1, "text": "un"}) + b"{pas du json\n"
            + jsonl({"title": "sans id", "text": "x"}, {"id": 1, "text": "doublon"},
                    {"id": 2, "text": "deux"}))
    entries = list(expand(data, "export.jsonl"))
    errors = [e.error for e in entries if e.error]
    assert [e.suffix for e in entries if not e.error] == ["#1", "#2"]
    assert errors[0].startswith("ligne 2 : JSON invalide")
    assert errors[1] == "ligne 3 : champ « id » manquant ou vide"
    assert errors[2] == "ligne 4 : identifiant « 1 » déjà vu ligne 1"


def test_record_without_text_is_a_clear_error() -> None:
    entry = next(expand(jsonl({"id": 1, "title": "vide"}), "export.jsonl"))
    with pytest.raises(ReadError, match="champ « text » manquant"):
        read_bytes(entry.data, entry.name, entry.media_type)


def test_json_array_export() -> None:
    data = json.dumps([{"id": "a", "text": "A"}, {"id": "b", "text": "B"}]).encode()
    assert [e.suffix for e in expand(data, "base.json")] == ["#a", "#b"]


def test_zip_of_every_format_with_sidecars(tmp_path: Path) -> None:
    docx = make_docx(tmp_path / "d.docx", "Mobilité", ["Le transport solidaire."]).read_bytes()
    odt = make_odt(tmp_path / "o.odt", "Récits", [("p", "Les habitants racontent.")])
    data = zip_bytes({
        "fiches/mobilite.docx": docx, "fiches/mobilite.docx.meta.yaml": b"territoire: Loir\n",
        "outils/recits.odt": odt.read_bytes(), "notes/a.md": b"# A\n\nTexte A.\n",
        "export.jsonl": jsonl({"id": 1, "text": "Ligne un."}),
        "__MACOSX/._a.md": b"junk", ".DS_Store": b"junk", "dossier/": b"",
    })
    entries = {e.suffix: e for e in expand(data, "lot.zip")}
    assert sorted(entries) == ["/export.jsonl#1", "/fiches/mobilite.docx", "/notes/a.md",
                               "/outils/recits.odt"]
    assert entries["/fiches/mobilite.docx"].sidecar == {"territoire": "Loir"}
    assert entries["/fiches/mobilite.docx"].data == docx
    assert read_bytes(entries["/outils/recits.odt"].data, "recits.odt").text == (
        "Les habitants racontent.")


def _symlink_member() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.md", b"# A\n")
        info = zipfile.ZipInfo("lien.md")
        info.create_system = 3
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(info, "/etc/passwd")
    return buffer.getvalue()


def _encrypted_member() -> bytes:
    """`zipfile` cannot encrypt: set the "encrypted" flag in both headers by hand."""
    data = bytearray(zip_bytes({"secret.md": b"chiffre"}, zipfile.ZIP_STORED))
    local, central = data.find(b"PK\x03\x04"), data.find(b"PK\x01\x02")
    data[local + 6] |= 0x1
    data[central + 8] |= 0x1
    return bytes(data)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (zip_bytes({"ok.md": b"# Ok\n", "../../evil.md": b"x"}), "chemin qui sort de l'archive"),
        (zip_bytes({"/etc/cron.d/evil.md": b"x"}), "chemin absolu"),
        (zip_bytes({"C:/Windows/evil.md": b"x"}), "chemin absolu"),
        (_symlink_member(), "lien symbolique"),
        (_encrypted_member(), "entrée chiffrée"),
        (zip_bytes({"bombe.txt": b"\0" * (20 * 1024 * 1024)}), "bombe de décompression"),
        (zip_bytes({f"b{i}.txt": b"a" * 900_000 for i in range(30)}),
         "bombe de décompression"),
        (b"PK\x03\x04" + b"\x00" * 100, "archive ZIP illisible"),
    ],
    ids=["dotdot", "absolute", "drive", "symlink", "encrypted", "bomb", "many-small", "corrupt"],
)
def test_hostile_archives_are_refused_as_a_whole(data: bytes, expected: str) -> None:
    with pytest.raises(ReadError) as error:
        list(expand(data, "lot.zip"))
    assert expected in str(error.value)


def test_too_many_members_and_total_size_limits() -> None:
    data = zip_bytes({f"{i}.md": b"# x\n" for i in range(20)})
    with pytest.raises(ReadError, match="trop d'entrées"):
        list(expand(data, "lot.zip", Limits(max_members=10)))
    with pytest.raises(ReadError, match="une fois décompressée"):
        list(expand(zip_bytes({"a.txt": b"a" * 5000}, zipfile.ZIP_STORED), "lot.zip",
                    Limits(max_archive_bytes=1000)))


def test_nested_archive_and_oversized_member_are_entry_errors() -> None:
    data = zip_bytes({"a.md": b"# A\n", "inner.zip": zip_bytes({"b.md": b"# B\n"}),
                      "big.txt": b"a" * 5000})
    entries = {e.suffix: e for e in expand(data, "lot.zip", Limits(max_file_bytes=4000))}
    assert entries["/a.md"].error is None
    assert entries["/inner.zip"].error == "archive dans une archive : non prise en charge"
    assert "trop volumineux" in str(entries["/big.txt"].error)


def test_docx_bomb_is_refused_before_python_docx_inflates_it(tmp_path: Path) -> None:
    docx = make_docx(tmp_path / "d.docx", "T", ["x"]).read_bytes()
    with zipfile.ZipFile(io.BytesIO(docx)) as source:
        parts = {n: source.read(n) for n in source.namelist()}
    parts["word/media/padding.xml"] = b" " * (30 * 1024 * 1024)
    with pytest.raises(ReadError, match="bombe de décompression"):
        read_bytes(zip_bytes(parts), "bombe.docx")


def test_a_docx_that_is_another_zip_is_named() -> None:
    with pytest.raises(ReadError) as error:
        read_bytes(zip_bytes({"a.md": b"# A\n"}), "rapport.docx")
    assert "ne correspond pas à l'extension .docx" in str(error.value)
    assert "archive ZIP" in str(error.value)
