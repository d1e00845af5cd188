"""The API's blueprint: open to other sites (CORS without credentials), JSON errors, and the
reader of a call: a personal token's member (`Authorization: Bearer …`), else the session's
user, else an anonymous visitor."""

from __future__ import annotations

from flask import Blueprint, Response, g, jsonify, request
from werkzeug.exceptions import HTTPException

from kb.accounts.tokens import user_for_token
from kb.errors import KbError
from webui.common.context import instance

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.before_request
def _token_reader() -> None:
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, secret = header.partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise KbError("en-tête Authorization attendu : « Bearer JETON »", status=401)
        g.user = user_for_token(instance(), secret.strip())


@bp.after_request
def _cors(response: Response) -> Response:
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Vary"] = "Cookie, Authorization"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.errorhandler(KbError)
def _kb_error(error: KbError) -> tuple[Response, int]:
    response = jsonify({"error": error.message if error.status < 500 else "erreur interne"})
    if error.status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="kb"'
    return response, error.status


@bp.errorhandler(HTTPException)
def _http_error(error: HTTPException) -> tuple[Response, int]:
    return jsonify({"error": error.description or error.name}), error.code or 500
