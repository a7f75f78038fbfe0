"""The extractor: article -> sentences -> (prefilter) -> parse -> frames -> statements.

Each parsed sentence goes through small typed steps, one module each:
    mentions (SentenceMentions) -> triggers (Trigger) -> arguments (Arguments) ->
    circumstances (Circumstances: modality, date, place) -> coding (Coded) -> Frame -> links;
then per article: embedded/linked frames share arguments (events.fill_from_context), "the strike"
refers back (coref.link_references), one-sided violent events get their unnamed side (onesided), and
the mentions of one event merge into one Statement (coref)."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date

from .. import wordlists
from ..model import Article, Paragraph, Statement
from ..registry import DiscourseContext, Registry, Resolver
from .arguments import arguments
from .casualties import casualties
from .circumstances import circumstances_of
from .coding import code_event
from .coref import annotate, link_references, to_statements
from .events import Frame, PartySpan, fill_from_context
from .lexicon import Lexicon, default_lexicon
from .links import link_in_sentence
from .mentions import read_mentions
from .nlp import load_nlp
from .onesided import Scene, complete, counted_victims, struck_state
from .places import locate
from .triggers import find_triggers

log = logging.getLogger(__name__)

# Sentence ends: . ! ? (optionally closing quotes) then space and an upper-case letter, digit or quote.
_SENT_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"“‘(]?[A-Z0-9])")
_QUOTE = re.compile(r"“[^”]*”|\"[^\"]*\"")


@dataclass(frozen=True, slots=True)
class Unit:
    """A sentence to read: its text and where it starts in Article.text (None for a title not in it)."""

    text: str
    start: int | None
    paragraph: int
    kind: str  # title | header | body
    speaker: str | None = None  # quote speaker when the sentence sits inside a quote


@dataclass(frozen=True, slots=True)
class Quote:
    """A quotation in a paragraph and who said it (None when no speaker is named)."""

    start: int
    end: int
    speaker_name: str | None
    speaker: object | None  # the Actor


@dataclass(frozen=True, slots=True)
class PlannedSentence:
    """A sentence to read, whether it needs a full parse, and the actor quoted in it (if any)."""

    unit: Unit
    wanted: bool  # an actor cue and a trigger cue are both present
    quote_speaker: object | None = None


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Cheap sentence spans (no parse), careful with abbreviations such as "U.S." and initials."""
    spans, start = [], 0
    for m in _SENT_END.finditer(text):
        if _abbreviation_before(text, start, m.start()):
            continue
        spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def _abbreviation_before(text: str, start: int, end: int) -> bool:
    """Does the period at text[end - 1] close an abbreviation ("U.S.", "Gen.", an initial "J.")?"""
    word = re.search(r"(?:^|[^\w.])([\w.]+)\.$", text[max(start, end - 8): end])
    if word is None:
        return False
    w = word.group(1)
    return (len(w) == 1 and w.isupper()) or w.lower() in wordlists.get("abbreviations")


def _units(article: Article) -> list[tuple[Paragraph, int]]:
    paras = list(article.paragraphs) or [Paragraph(article.text, 0, len(article.text), "body")]
    out = [(p, n) for n, p in enumerate(paras)]
    if article.title and not any(p.kind == "title" for p in paras):
        out.insert(0, (Paragraph(article.title, -1, -1, "title"), -1))
    return out


class Extractor:
    """Extracts Statements from Articles with a spaCy pipeline, the actor registry and the lexicon."""

    def __init__(self, registry=None, nlp=None, lexicon: Lexicon | None = None, resolver=None):
        if resolver is None:
            registry = registry or Registry.default()
            resolver = Resolver(registry)
        self.registry = registry
        self.resolver = resolver
        self.failures: list[tuple[str, str]] = []  # (where, reason) of articles whose extraction failed
        self.nlp = nlp if nlp is not None and not isinstance(nlp, str) else load_nlp(nlp)
        self.lex = lexicon or default_lexicon()
        self.parsed_sentences = 0
        self.seen_sentences = 0

    # -- sentences -----------------------------------------------------------------------------
    def _quote_speakers(self, text: str, on: date | None, last: list) -> list[Quote]:
        """Quotes in a paragraph and who said them: the actor named in the reporting clause after
        (or before) the quote; a quote with no named speaker keeps the previous one."""
        out = []
        for m in _QUOTE.finditer(text):
            if m.end() - m.start() < 25:
                continue  # a quoted name or phrase, not a quotation
            after = text[m.end(): m.end() + 120].split(".")[0]
            before = text[max(0, m.start() - 120): m.start()].split(".")[-1]
            speaker = None
            for clause in (after, before):
                if not re.search(r"\b(" + "|".join(sorted(self.lex.cues.reporting)) + r")\w*", clause, re.I):
                    continue
                found = [a for a in self.resolver.find(clause, on) if a.actor.kind not in self.lex.cues.media_kinds]
                if found:
                    speaker = found[0].actor
                    break
            if speaker is None and last:
                speaker = last[-1]
            if speaker is not None:
                last.append(speaker)
            out.append(Quote(m.start(), m.end(), speaker.name if speaker else None, speaker))
        return out

    def sentences(self, article: Article) -> list[PlannedSentence]:
        """Every sentence with whether it needs a full parse (actor cue and trigger cue both present)."""
        out = []
        last_speaker: list = []
        for para, n in _units(article):
            quotes = self._quote_speakers(para.text, article.published, last_speaker)
            for s, e in ([(0, len(para.text))] if para.kind in ("title", "header") else split_sentences(para.text)):
                text = para.text[s:e]
                start = para.start + s if para.start >= 0 else None
                q = next((q for q in quotes if q.start <= s < q.end or q.start < e <= q.end), None)
                unit = Unit(text, start, n, para.kind, q.speaker_name if q else None)
                # a count of the dead in "the strike" belongs to an event even with no actor named
                wanted = self.lex.prefilter(text) and (
                    self.resolver.prefilter(text)
                    or (self.lex.conflict_prefilter(text) and (self.resolver.prefilter(text, agents=True)
                                                                or self.resolver.names_place(text)))
                    or bool(casualties(text)))
                out.append(PlannedSentence(unit, wanted, q.speaker if q else None))
        return out

    # -- frames --------------------------------------------------------------------------------
    def frames(self, article: Article, docs=None, force: bool = False, sents=None) -> list[Frame]:
        """All event frames of an article in reading order (before they become statements).
        `force` parses every sentence, prefilter or not (evaluation)."""
        sents = sents if sents is not None else self.sentences(article)
        self.seen_sentences += len(sents)
        todo = [(k, p.unit) for k, p in enumerate(sents) if p.wanted or force]
        if docs is None:
            docs = list(self.nlp.pipe(u.text for _, u in todo))
        self.parsed_sentences += len(todo)
        context = self._context()
        frames: list[Frame] = []
        scenes: dict[int, Scene] = {}
        for (k, unit), doc in zip(todo, docs, strict=True):
            frames.extend(self._frames_in(doc, unit, k, sents[k].quote_speaker, article, context, scenes))
        _link_embedded(frames)
        link_references(frames)
        fill_from_context(frames)
        complete(frames, scenes, self.registry.sector_actor)
        return frames

    def _context(self) -> DiscourseContext:
        return DiscourseContext()

    def _country_of_word(self, word: str) -> str | None:
        """ISO3 of a demonym or country name ("British", "Rwanda"), from the registry; cached."""
        cache = self.__dict__.setdefault("_country_cache", {})
        if word not in cache:
            iso = getattr(self.registry, "demonyms", {}).get(word) if self.registry is not None else None
            if iso is None:
                found = self.resolver.find(word)
                if len(found) == 1 and found[0].text == word and found[0].actor.kind == "state":
                    iso = found[0].actor.country
            cache[word] = iso
        return cache[word]

    def _country_actor(self, word: str):
        """The registry's country actor for a demonym ("Palestinians" -> PSE), or None."""
        demonyms = getattr(self.registry, "demonyms", None)
        iso = demonyms.get(word) if demonyms else None
        return self.registry.get(iso) if iso else None

    def _frames_in(self, doc, unit: Unit, k: int, quote_speaker, article: Article, context,
                   scenes: dict[int, Scene]) -> list[Frame]:
        """One parsed sentence through the steps: mentions -> triggers -> arguments ->
        circumstances (modality, date, place) -> coding -> frames -> links."""
        sm = read_mentions(doc, self.resolver, self.lex, article.published, context,
                           self._country_of_word, self._country_actor)
        triggers = find_triggers(doc, self.lex, sm.blocked)
        if not triggers:
            return []
        at = {t.head: n for n, t in enumerate(triggers)}
        out: list[Frame] = []
        for t in triggers:
            args = arguments(doc, t, sm.index, self.lex, at)
            circ = circumstances_of(doc, t, args, sm, self.lex, unit.speaker, quote_speaker, article.published)
            coded = code_event(doc, t, args, circ, self.lex)
            frame = _frame(doc, t, args, circ, coded, unit, k, article)
            if t.entry.one_sided:
                head = doc[t.head]
                scenes[id(frame)] = Scene(
                    place_country=(self.resolver.place_country(frame.location) if frame.location else None)
                    or sm.country,
                    victims=not t.nominal and counted_victims(head, t.entry.victim_sector == "CVL"),
                    struck_state=struck_state(head, sm.index),
                    article_country=context.dominant_country())
            out.append(frame)
        link_in_sentence(doc, triggers, out, sm.index)
        annotate(doc, [t.head for t in triggers], out)  # event references and casualty counts
        return out

    # -- statements ----------------------------------------------------------------------------
    def extract_many(self, articles, batch_size: int = 256) -> list[list[Statement]]:
        """Statements per article; the sentences of many articles are parsed in one nlp.pipe stream
        (spaCy is much faster on large batches than on one short article at a time)."""
        plans = []
        for article in articles:
            try:
                sents = self.sentences(article)
            except Exception as err:  # noqa: BLE001 - see isolated()
                self._failed(article, err)
                plans.append((article, None, []))
                continue
            plans.append((article, sents, [p.unit.text for p in sents if p.wanted]))
        texts = [t for _, _, ts in plans for t in ts]
        docs = iter(self.nlp.pipe(texts, batch_size=batch_size))
        out = []
        for article, sents, ts in plans:
            article_docs = [next(docs) for _ in ts]
            out.append([] if sents is None else self.isolated(article, article_docs, sents))
        return out

    def isolated(self, article: Article, docs=None, sents=None) -> list[Statement]:
        """extract_article, but one article's failure is reported (log and self.failures) and costs
        that article only, never the run."""
        try:
            return self.extract_article(article, docs, sents)
        except Exception as err:  # noqa: BLE001 - any bug on one input must not lose the others
            self._failed(article, err)
            return []

    def _failed(self, article: Article, err: Exception) -> None:
        where = article.source or article.id
        reason = f"extraction failed ({type(err).__name__}: {' '.join(str(err).split())[:160]}); article skipped"
        log.debug("extraction failed on %s", where, exc_info=True)
        log.warning("%s: %s", where, reason)
        self.failures.append((where, reason))

    def extract_article(self, article: Article, docs=None, sents=None) -> list[Statement]:
        frames = self.frames(article, docs, sents=sents)
        return locate(to_statements(frames, article.published, self.registry), article)





def _frame(doc, t, args, circ, coded, unit: Unit, k: int, article: Article) -> Frame:
    """Step 5: the frame of one trigger, with its place in the sentence and the article."""
    head = doc[t.head]
    depth = _depth(head)
    spans = {}  # actor id -> where this sentence names it (the first naming wins)
    for m in args.sources + args.targets + args.pooled + ([circ.speaker_mention] if circ.speaker_mention else []):
        spans.setdefault(m.actor.id, PartySpan(m.text, *(
            (unit.start + m.start, unit.start + m.end) if unit.start is not None else (None, None))))
    frame = Frame(
        entry=coded.entry, extra=coded.extra, trigger_text=t.text(doc),
        sources=coded.sources, targets=coded.targets, notes=coded.notes, pooled=coded.pooled,
        spans=spans, record_id=article.record_id,
        pattern=args.pattern, modality=coded.modality or circ.modality, attribution=circ.attribution, speaker=circ.speaker,
        when=circ.when, location=circ.location, article_id=article.id, sentence=unit.text,
        char_start=unit.start, char_end=unit.start + len(unit.text) if unit.start is not None else None,
        depth=depth, unit=k, trigger_nominal=t.nominal,
        # how central the trigger is: a noun off the main arguments, or a purpose clause, ranks lower
        rank=depth + (1 if t.nominal and head.dep_ not in ("dobj", "nsubj", "nsubjpass", "ROOT") else 0)
        + (1 if head.dep_ in ("advcl", "xcomp") and not t.nominal else 0),
        definite=t.nominal and any(c.dep_ in ("det", "poss") and c.lower_ in wordlists.get("definite_determiners")
                                   for c in head.children),
    )
    if unit.kind == "title":
        frame.notes.append("headline")
    return frame


def _depth(tok) -> int:
    d = 0
    while tok.head.i != tok.i and d < 50:
        tok = tok.head
        d += 1
    return d


def _link_embedded(frames: list[Frame]) -> None:
    """Turn sentence-local embedding marks into article frame indices."""
    for n, f in enumerate(frames):
        if isinstance(f.embedded_in, tuple):
            local = f.embedded_in[1]
            # frames of one sentence are contiguous and in trigger order: find the sentence's first frame
            first = n
            while first > 0 and frames[first - 1].unit == f.unit:
                first -= 1
            f.embedded_in = first + local if first + local < len(frames) else None
        if f.links and isinstance(f.links[0], tuple):
            first = n
            while first > 0 and frames[first - 1].unit == f.unit:
                first -= 1
            f.links = [first + local for _, local in f.links if first + local < len(frames)]
