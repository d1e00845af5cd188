"""Messages shown where the person acted.

A refused action becomes a message on the page (`refused`). A message may name the element it
is about (`flash_at`, e.g. the catalogue resource just moved): the page that renders that
element shows it there (`messages_at` in its template), so that a reader sent back to that
place sees it; messages no element took are shown at the top of the page
(`page_messages`, called by the base template after the content is rendered).
"""

from __future__ import annotations

from flask import flash, g, get_flashed_messages

from kb.errors import KbError

TARGET_SEPARATOR = "@"


def refused(error: KbError) -> None:
    """Client errors become a message on the page; server errors go to the error page."""
    if error.status >= 500:
        raise error
    flash(f"Action refusée — {error.message}.", "error")


def flash_at(message: str, target: str, category: str = "success") -> None:
    """A message about the element of id `target`, shown beside it when the page has it."""
    flash(message, f"{category}{TARGET_SEPARATOR}{target}")


def _taken() -> set[int]:
    if "messages_taken" not in g:
        g.messages_taken = set()
    return g.messages_taken  # type: ignore[no-any-return]


def messages_at(target: str) -> list[tuple[str, str]]:
    """(category, message) of the messages about `target`; they leave the page's list."""
    found = []
    for number, (category, message) in enumerate(get_flashed_messages(with_categories=True)):
        kind, _, about = category.partition(TARGET_SEPARATOR)
        if about == target:
            _taken().add(number)
            found.append((kind, message))
    return found


def page_messages() -> list[tuple[str, str]]:
    """(category, message) of the messages no element of the page has shown."""
    taken = _taken()
    return [(category.partition(TARGET_SEPARATOR)[0], message)
            for number, (category, message)
            in enumerate(get_flashed_messages(with_categories=True)) if number not in taken]
