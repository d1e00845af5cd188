"""One French error page for every error; nothing internal leaks."""

from __future__ import annotations

import logging

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from kb.errors import KbError

log = logging.getLogger(__name__)
MESSAGES = {
    400: ("Requête invalide", "La requête n'a pas pu être comprise."),
    403: ("Accès refusé", "Vous n'avez pas le droit d'accéder à cette page."),
    404: ("Page introuvable", "Ce document ou cette page n'existe pas, ou plus."),
    405: ("Méthode non autorisée", "Cette action n'est pas possible ici."),
    413: ("Fichier trop volumineux", "Le fichier envoyé dépasse la taille autorisée."),
    429: ("Trop de tentatives", "Merci de patienter quelques minutes avant de réessayer."),
    500: ("Erreur interne", "Une erreur inattendue s'est produite. Elle a été consignée."),
}


def render_error(status: int, detail: str | None = None) -> tuple[str, int]:
    title, message = MESSAGES.get(status, MESSAGES[500])
    return render_template("error.html", status=status, title=title,
                           message=detail or message), status


def init_app(app: Flask) -> None:
    @app.errorhandler(KbError)
    def kb_error(error: KbError) -> tuple[str, int]:
        return render_error(error.status, error.message if error.status < 500 else None)

    @app.errorhandler(CSRFError)
    def csrf_error(_error: CSRFError) -> tuple[str, int]:
        return render_error(400, "Le formulaire a expiré ou n'est pas valide : rechargez la page.")

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str, int]:
        return render_error(error.code or 500)

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> tuple[str, int]:
        log.exception("unexpected error", exc_info=error)
        return render_error(500)
