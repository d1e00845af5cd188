"""Click's own messages (usage, help option, errors) in French.

Click translates each of its messages through gettext's default domain, so that an
application can ship a catalogue for them: kb's is `locale/fr/LC_MESSAGES/messages.po`
(compiled to `messages.mo` by `make locale`). kb speaks French whatever the machine's locale,
so the language is chosen the standard gettext way, with `LANGUAGE`."""

from __future__ import annotations

import gettext
import os
from pathlib import Path

LOCALE_DIR = Path(__file__).parent / "locale"


def speak_french() -> None:
    """Route Click's messages through kb's French catalogue for the rest of the process."""
    gettext.bindtextdomain("messages", str(LOCALE_DIR))
    os.environ["LANGUAGE"] = "fr"
