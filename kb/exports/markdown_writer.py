"""Markdown writer: blocks to CommonMark text, user text escaped so that it reads as written.

Public surface: `build_markdown(blocks) -> str`, `escape_markdown(text)`.
"""

from __future__ import annotations

import re

from kb.exports.blocks import Block, Heading, Inline, ListBlock, Para, TableBlock

# Characters that start emphasis, links, code or HTML anywhere in a line.
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")
# Line starts that would make a heading, quote, list item, rule or fence.
_LINE_START = re.compile(r"^(\s*)([#>+\-=~]|\d+[.)])")


def escape_markdown(text: str) -> str:
    """Backslash-escape what Markdown would interpret, line by line."""
    lines = []
    for line in text.split("\n"):
        line = _INLINE_SPECIAL.sub(r"\\\1", line)
        line = _LINE_START.sub(lambda m: m[1] + _escape_start(m[2]), line)
        lines.append(line)
    return "\n".join(lines)


def _escape_start(token: str) -> str:
    if token[-1] in ".)":
        return token[:-1] + "\\" + token[-1]
    return "\\" + token


def _url(url: str) -> str:
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")


def inline_markdown(runs: Inline) -> str:
    parts = []
    for run in runs:
        text = escape_markdown(run.text).replace("\n", "  \n")
        if not text.strip():
            parts.append(text)
            continue
        # Emphasis markers must touch the text (CommonMark): spaces go outside them.
        core = text.strip()
        lead, trail = text[:len(text) - len(text.lstrip())], text[len(text.rstrip()):]
        if run.link:
            core = f"[{core}]({_url(run.link)})"
        if run.italic:
            core = f"*{core}*"
        if run.bold:
            core = f"**{core}**"
        parts.append(lead + core + trail)
    return "".join(parts)


def block_markdown(block: Block, indent: str = "") -> list[str]:
    """The lines of one block (without the blank line that follows it)."""
    if isinstance(block, Heading):
        return [f"{'#' * min(block.level, 6)} {inline_markdown(block.runs)}"]
    if isinstance(block, Para):
        return [indent + line for line in inline_markdown(block.runs).split("\n")]
    if isinstance(block, ListBlock):
        lines: list[str] = []
        for number, item in enumerate(block.items, start=block.start):
            marker = f"{number}. " if block.ordered else "- "
            for index, child in enumerate(item):
                child_lines = block_markdown(child, indent + " " * len(marker))
                if index == 0 and child_lines:
                    child_lines[0] = indent + marker + child_lines[0].lstrip()
                lines.extend(child_lines)
        return lines
    return _table(block)


def _table(block: TableBlock) -> list[str]:
    def row(cells: list[Inline]) -> str:
        return "| " + " | ".join(inline_markdown(c).replace("\n", " ") for c in cells) + " |"

    return [row(block.header), "|" + "---|" * len(block.header)] + [row(r) for r in block.rows]


def build_markdown(blocks: list[Block]) -> str:
    """The document as Markdown, blocks separated by blank lines, ending with a newline."""
    return "\n\n".join("\n".join(block_markdown(b)) for b in blocks) + "\n"
