"""Downloads: the file name as written (accents too), the type and the cache headers."""

from __future__ import annotations

from flask import Flask
from werkzeug.http import parse_options_header

from webui.common.downloads import attachment


def test_an_accented_name_keeps_its_accents_with_an_ascii_fallback(app: Flask) -> None:
    with app.test_request_context():
        response = attachment("Écrit « ça »\n", "text/csv", "fiche-été « 2024 ».csv")
    header = response.headers["Content-Disposition"]
    # Browsers read `filename*` (UTF-8); older clients the plain ASCII `filename`.
    assert parse_options_header(header) == ("attachment", {"filename": "fiche-été « 2024 ».csv"})
    assert header.startswith('attachment; filename="fiche-ete  2024 .csv"; filename*=UTF-8')
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    response.direct_passthrough = False
    assert response.get_data() == "Écrit « ça »\n".encode()
    assert response.headers["Content-Length"] == str(len("Écrit « ça »\n".encode()))
    assert "no-cache" in response.headers["Cache-Control"]
