"""French error pages that leak nothing: 403, 404, 413, 500; labelled form fields."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from kb.config import Settings
from tests.conftest import Auth, csrf_token
from tests.databases import MakeSettings


def test_500_page_hides_the_exception(settings: Settings) -> None:
    from webui.app import create_app

    app = create_app(settings)

    def boom() -> str:
        raise RuntimeError("secret interne /etc/kb")

    app.add_url_rule("/boom", "boom", boom)
    response = app.test_client().get("/boom")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Erreur interne" in html and "secret interne" not in html and "Traceback" not in html
    app.extensions["kb"].close()


def test_403_page(client: FlaskClient, auth: Auth) -> None:
    auth.login("allie")
    response = client.get("/admin/utilisateurs")
    assert response.status_code == 403
    assert "Votre rôle ne permet pas cette action." in response.get_data(as_text=True)


def test_413_when_the_upload_is_too_large(tmp_path: Path, make_settings: MakeSettings) -> None:
    from kb.accounts.users import create_user
    from webui.app import create_app

    app = create_app(make_settings("instance", max_file_bytes=1024))
    create_user(app.extensions["kb"], "a@b.fr", "un-long-secret", "allie", "Alice")
    client = app.test_client()
    auth = Auth(client)
    auth.login_as("a@b.fr", "un-long-secret")
    token = csrf_token(client, "/deposer")
    big = io.BytesIO(b"x" * 4096)
    response = client.post("/deposer", data={"csrf_token": token, "visibility": "membres",
                                             "files": (big, "gros.txt")},
                           content_type="multipart/form-data")
    assert response.status_code == 413
    assert "Fichier trop volumineux" in response.get_data(as_text=True)
    app.extensions["kb"].close()


@pytest.mark.parametrize("path", ["/", "/connexion", "/compte", "/deposer",
                                  "/admin/utilisateurs"])
def test_every_field_has_a_label(client: FlaskClient, auth: Auth, path: str) -> None:
    auth.login("admin")
    html = client.get(path).get_data(as_text=True)
    field = r'<(?:input|select|textarea)\b(?![^>]*type="(?:hidden|submit)")[^>]*\bid="([^"]+)"'
    ids = re.findall(field, html)
    assert ids, "no field found"
    for field_id in ids:
        assert f'for="{field_id}"' in html, f"field {field_id} of {path} has no label"
