"""Security headers on every response; text no database can store refused on the way in."""

from __future__ import annotations

from flask import Flask, Response, request

from kb.errors import InvalidInput

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def _headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    return response


def _refuse_nul() -> None:
    """A NUL character in an address, a parameter or a form field is refused with a 400
    naming it: PostgreSQL cannot hold one in a text, and no person types one."""
    fields = [("adresse", value) for value in (request.view_args or {}).values()]
    fields += [(name, value) for source in (request.args, request.form)
               for name, values in source.lists() for value in values]
    for name, value in fields:
        if isinstance(value, str) and "\x00" in value:
            raise InvalidInput(f"« {name} » : le caractère nul (U+0000) n'est pas accepté")


def init_app(app: Flask) -> None:
    app.before_request(_refuse_nul)
    app.after_request(_headers)
