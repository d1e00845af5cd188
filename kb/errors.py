"""One error hierarchy: each error carries a French message and an HTTP status."""

from __future__ import annotations


class KbError(Exception):
    """Base of every error the CLI prints as one line and the web shows as one page."""

    status: int = 500

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status

    def __str__(self) -> str:
        return self.message


class ConfigError(KbError):
    status = 500


class InvalidInput(KbError):
    status = 400


class Forbidden(KbError):
    status = 403


class NotFound(KbError):
    status = 404


class TooLarge(KbError):
    status = 413


class Conflict(KbError):
    status = 409
