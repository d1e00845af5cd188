"""What a directory search asks: words, themes, territories, kinds of organisation."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class DirectoryQuery:
    text: str = ""
    themes: list[str] = field(default_factory=list)  # concept URIs
    territories: list[str] = field(default_factory=list)  # dep:63, reg:84, type:petr
    organisations: list[str] = field(default_factory=list)  # kinds of organisation

    @property
    def empty(self) -> bool:
        return not (self.text or self.themes or self.territories or self.organisations)
