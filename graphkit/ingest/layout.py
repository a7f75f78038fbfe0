"""How an article's text is laid out, the same for every input format.

Article.text is every paragraph in reading order joined by "\\n\\n":

    <title>            Paragraph(kind="title")   at most one, always first
    <header line>      Paragraph(kind="header")  one per kept header line: outlet line,
    ...                                          dateline, byline, URL, scrape date
    <body paragraph>   Paragraph(kind="body")    the story itself
    ...

Each header line is its own paragraph, never merged with a sentence, and no paragraph
holds a blank line.  Later stages parse each paragraph separately (text[p.start:p.end])
and read statements from kind == "body" only (see `body_paragraphs`), so a title or an
outlet line is never parsed together with a sentence.  The article id is computed from
the title and the body alone (graphkit.ingest.ids), so header noise does not change it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from ..model import Article, Paragraph
from .dateline import Dateline
from .ids import article_id, normalise

_BLANK_LINES = re.compile(r"\n[ \t\f\v\r]*\n")
_SPACE = re.compile(r"[ \t\f\v\r\u00a0]+")
# A line longer than this is a paragraph on its own line, not a hard-wrapped one.
_UNWRAPPED_LINE = 100


@dataclass(slots=True)
class Draft:
    """What a reader found, before it is laid out as an Article."""

    body: list[str]
    title: str | None = None
    header: list[str] = field(default_factory=list)
    outlet: str | None = None
    url: str | None = None
    published: date | None = None
    date_source: str = "none"
    source: str | None = None
    language: str = "en"
    record_id: str | None = None  # an id the input carried (Article.record_id; never the Article.id)
    dateline: Dateline | None = None  # a wire dateline cut off the first body paragraph


def clean_line(line: str) -> str:
    return _SPACE.sub(" ", line.replace("\u200b", "").replace("\ufeff", "")).strip()


def _one_line(text: str) -> str:
    """Any whitespace run (newlines included) as one space: a paragraph never holds a line break."""
    return " ".join(text.replace("\u200b", "").replace("\ufeff", "").split())


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs of free text: blank lines separate them; hard-wrapped lines are joined.

    Inside a block without blank lines, long lines are paragraphs of their own (one
    paragraph a line, as pasted from a browser); short lines are a wrapped paragraph.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    paragraphs: list[str] = []
    for block in _BLANK_LINES.split(text):
        lines = [clean_line(line) for line in block.split("\n")]
        lines = [line for line in lines if line]
        if not lines:
            continue
        if max(len(line) for line in lines) > _UNWRAPPED_LINE:
            paragraphs.extend(lines)
        else:
            paragraphs.append(" ".join(lines))
    return paragraphs


def build_article(draft: Draft) -> Article | None:
    """Lay the draft out as an Article; None when it has no body text."""
    title = _one_line(draft.title) if draft.title else None
    body = [_one_line(p) for p in draft.body]
    body = [p for p in body if p]
    # A title repeated as the first body line (common in pastes) is not body text.
    while title and body and normalise(body[0]) == normalise(title):
        body.pop(0)
    if not body:
        return None
    # The id is over the body as written, dateline included: cutting it off changes no id.
    as_written = ([draft.dateline.text + body[0]] + body[1:]) if draft.dateline else body
    header = [_one_line(h) for h in draft.header]
    if draft.dateline:
        header.append(_one_line(draft.dateline.text))  # its own paragraph, right above the body
    blocks: list[tuple[str, str]] = []
    if title:
        blocks.append(("title", title))
    blocks.extend(("header", h) for h in header if h)
    blocks.extend(("body", p) for p in body)
    paragraphs: list[Paragraph] = []
    offset = 0
    for kind, text in blocks:
        paragraphs.append(Paragraph(text=text, start=offset, end=offset + len(text), kind=kind))
        offset += len(text) + 2
    return Article(
        id=article_id("\n\n".join(as_written), title),
        text="\n\n".join(text for _, text in blocks),
        paragraphs=tuple(paragraphs),
        title=title,
        outlet=_one_line(draft.outlet) or None if draft.outlet else None,
        url=_one_line(draft.url) or None if draft.url else None,
        published=draft.published,
        date_source=draft.date_source if draft.published else "none",
        source=draft.source,
        language=draft.language or "en",
        record_id=draft.record_id,
        dateline_place=draft.dateline.place if draft.dateline else None,
    )


def body_paragraphs(article: Article) -> list[Paragraph]:
    """The paragraphs that carry the story (kind == "body"); extraction reads only these."""
    return [p for p in article.paragraphs if p.kind == "body"]


def body_text(article: Article) -> str:
    return "\n\n".join(p.text for p in body_paragraphs(article))
