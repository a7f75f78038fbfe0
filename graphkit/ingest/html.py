"""Saved web pages: main text via trafilatura, metadata from the page's own tags.

Metadata read (first found wins): title from og:title, twitter:title, JSON-LD headline,
<title>; publication date from article:published_time, JSON-LD datePublished,
itemprop=datePublished, <meta name=date|pubdate|publish-date|dc.date.issued|...>;
outlet from og:site_name, JSON-LD publisher.name, application-name; url from og:url or
the canonical link.  A page date counts as "metadata"; without one the extracted text's
own header block (dateline, outlet line) is read like a .txt file.
"""

from __future__ import annotations

import json
import logging

from .dateline import yearless_note
from .dates import parse_date_field
from .plaintext import HeaderParse, parse_header_block

log = logging.getLogger(__name__)

_DATE_META = ("article:published_time", "og:article:published_time", "article.published", "datepublished",
              "date", "pubdate", "publishdate", "publish-date", "publish_date", "dc.date.issued", "dc.date",
              "dcterms.created", "sailthru.date", "parsely-pub-date", "cxenseparse:recs:publishtime")
_TITLE_META = ("og:title", "twitter:title")
_SITE_META = ("og:site_name", "application-name")


def _meta_map(tree) -> dict[str, str]:
    found: dict[str, str] = {}
    for el in tree.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        value = el.get("content") or el.get("datetime") or ""
        if key and value.strip() and key not in found:
            found[key] = value.strip()
    for el in tree.iter("time"):
        if (el.get("itemprop") or "").lower() == "datepublished" and el.get("datetime"):
            found.setdefault("datepublished", el.get("datetime"))
    return found


def _json_ld(tree) -> list[dict]:
    objects: list[dict] = []
    for el in tree.iter("script"):
        if (el.get("type") or "").strip().lower() != "application/ld+json" or not el.text:
            continue
        try:
            data = json.loads(el.text)
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                objects.append(item)
                stack.extend(v for k, v in item.items() if k == "@graph")
    return objects


def _ld_value(objects: list[dict], key: str) -> str | None:
    for obj in objects:
        value = obj.get(key)
        if isinstance(value, dict):
            value = value.get("name")
        if isinstance(value, list) and value:
            value = value[0] if isinstance(value[0], str) else None
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _strip_site_suffix(title: str, outlet: str | None) -> str:
    """"Story | Gulf Ledger" -> "Story" (a <title> usually carries the site name)."""
    for sep in (" | ", " - ", " – ", " — ", " :: "):
        head, found, tail = title.rpartition(sep)
        if found and head.strip() and (outlet is None or tail.strip().casefold() == outlet.casefold()
                                       or len(tail.split()) <= 3):
            return head.strip()
    return title


def _main_text(html: str) -> str | None:
    import trafilatura

    text = trafilatura.extract(html, include_comments=False, include_tables=False, include_images=False,
                               with_metadata=False, output_format="txt", deduplicate=False)
    return text if text and text.strip() else None


def _fallback_text(tree) -> str:
    """Paragraph elements' text, when trafilatura finds no main content."""
    return "\n\n".join(" ".join(p.text_content().split()) for p in tree.iter("p") if p.text_content().strip())


def read_html(html: str, source: str) -> HeaderParse:
    import lxml.html
    from lxml.etree import ParserError

    try:
        tree = lxml.html.document_fromstring(html.encode("utf-8"))
    except (ParserError, ValueError) as err:
        parsed = parse_header_block("")
        parsed.problems.append(f"not readable as HTML ({err})")
        return parsed
    meta = _meta_map(tree)
    ld = _json_ld(tree)

    body_text = _main_text(html)
    if body_text is None:
        body_text = _fallback_text(tree)
    # trafilatura puts one paragraph a line; make each one its own block.
    parsed = parse_header_block(body_text.replace("\n", "\n\n"))
    draft = parsed.draft
    draft.source = source

    title = next((meta[k] for k in _TITLE_META if k in meta), None) or _ld_value(ld, "headline")
    if not title:
        el = next(tree.iter("title"), None)
        title = " ".join(el.text_content().split()) if el is not None and el.text_content().strip() else None
    outlet = next((meta[k] for k in _SITE_META if k in meta), None) or _ld_value(ld, "publisher")
    if title and not any(k in meta for k in _TITLE_META):
        title = _strip_site_suffix(title, outlet)
    if title:
        if draft.title and draft.title.casefold() != title.casefold():
            draft.header.insert(0, draft.title)  # a short lead line, kept as header
        draft.title = title
    if outlet:
        draft.outlet = outlet
    url = meta.get("og:url") or next((el.get("href") for el in tree.iter("link")
                                       if (el.get("rel") or "").lower() == "canonical" and el.get("href")), None)
    if url:
        draft.url = url.strip()
    lang = tree.get("lang")
    if lang and lang.strip():
        draft.language = lang.strip().split("-")[0].lower()[:8]

    raw_date = next((meta[k] for k in _DATE_META if k in meta), None) or _ld_value(ld, "datePublished")
    if raw_date:
        parsed_date = parse_date_field(raw_date)
        if parsed_date:
            draft.published, draft.date_source = parsed_date, "metadata"
            parsed.notes = [n for n in parsed.notes if "bare date line" not in n]
        else:
            parsed.problems.append(f"field 'datePublished': cannot read a date in {raw_date[:60]!r}")
    bare = any("bare date line" in n for n in parsed.notes)
    if draft.published is None or bare:
        found = _markup_date(tree, draft.url)
        if found:
            draft.published, draft.date_source = found, "metadata"
            parsed.notes = [n for n in parsed.notes if "bare date line" not in n]
    note = yearless_note(draft)
    if note:
        parsed.notes.append(note)
    return parsed


def _markup_date(tree, url: str | None):
    """htmldate's reading of other markup (<time>, itemprops, a dated URL), without text guessing."""
    from htmldate import find_date

    try:
        found = find_date(tree, extensive_search=False, original_date=True, url=url)
    except Exception:  # htmldate is best effort here; its failure only means "no date"
        log.debug("htmldate failed", exc_info=True)
        return None
    return parse_date_field(found) if found else None
