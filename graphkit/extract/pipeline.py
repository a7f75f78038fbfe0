"""The extraction pipeline: article -> sentences -> (prefilter) -> parse -> frames -> statements."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date

from ..model import Article, Paragraph, Statement
from .arguments import MentionIndex, actors_of, arguments, subject_of
from .dates import EventDate, reported, resolve
from .events import Frame, fill_from_context, to_statements
from .lexicon import Lexicon, default_lexicon
from .locations import find_location, governor
from .modality import modality_of
from .triggers import find_triggers

log = logging.getLogger(__name__)

# Sentence ends: . ! ? (optionally closing quotes) then space and an upper-case letter, digit or quote.
_SENT_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"“‘(]?[A-Z0-9])")
_ABBREV = re.compile(r"(?:\b(?:U\.S|U\.K|U\.N|Mr|Mrs|Ms|Dr|Gen|Lt|Col|Maj|Capt|Sgt|Rep|Sen|Gov|St|No|Jan|Feb|Mar|Apr|Aug|Sept?|Oct|Nov|Dec|Jr|Sr|Inc|Co|Corp|vs|[A-Z])\.)$")
_QUOTE = re.compile(r"“[^”]*”|\"[^\"]*\"")
_DATE_LABELS = {"DATE", "TIME"}
# A trigger hanging from another by these relations is inside its clause ("plot ... to launch an attack").
_EMBEDDING_DEPS = {"xcomp", "acl", "dobj", "ccomp", "compound"}
# "killed in a U.S. strike", "hit by an airstrike": the two triggers are one event.
_INSTRUMENT_PREPS = {"in", "by", "during", "with", "through", "from"}


@dataclass(frozen=True, slots=True)
class Unit:
    """A sentence to read: its text and where it starts in Article.text (None for a title not in it)."""

    text: str
    start: int | None
    paragraph: int
    kind: str  # title | header | body
    speaker: str | None = None  # quote speaker when the sentence sits inside a quote


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Cheap sentence spans (no parse), careful with abbreviations such as "U.S." and initials."""
    spans, start = [], 0
    for m in _SENT_END.finditer(text):
        if _ABBREV.search(text[max(start, m.start() - 6): m.start()]):
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


def _units(article: Article) -> list[tuple[Paragraph, int]]:
    paras = list(article.paragraphs) or [Paragraph(article.text, 0, len(article.text), "body")]
    out = [(p, n) for n, p in enumerate(paras)]
    if article.title and not any(p.kind == "title" for p in paras):
        out.insert(0, (Paragraph(article.title, -1, -1, "title"), -1))
    return out


class Extractor:
    """Extracts Statements from Articles with a spaCy pipeline, the actor registry and the lexicon."""

    def __init__(self, registry=None, nlp=None, lexicon: Lexicon | None = None, resolver=None):
        from .nlp import load_nlp

        if resolver is None:
            from ..registry import Registry, Resolver

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
    def _quote_speakers(self, text: str, on: date | None, last: list) -> list[tuple[int, int, str | None, object]]:
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
            out.append((m.start(), m.end(), speaker.name if speaker else None, speaker))
        return out

    def sentences(self, article: Article) -> list[tuple[Unit, bool, object]]:
        """Every sentence with whether it needs a full parse (actor cue and trigger cue both present)."""
        out = []
        last_speaker: list = []
        for para, n in _units(article):
            quotes = self._quote_speakers(para.text, article.published, last_speaker)
            for s, e in ([(0, len(para.text))] if para.kind in ("title", "header") else split_sentences(para.text)):
                text = para.text[s:e]
                start = para.start + s if para.start >= 0 else None
                q = next((q for q in quotes if q[0] <= s < q[1] or q[0] < e <= q[1]), None)
                unit = Unit(text, start, n, para.kind, q[2] if q else None)
                wanted = self.lex.prefilter(text) and self.resolver.prefilter(text)
                out.append((unit, wanted, q[3] if q else None))
        return out

    # -- frames --------------------------------------------------------------------------------
    def frames(self, article: Article, docs=None, force: bool = False, sents=None) -> list[Frame]:
        """All event frames of an article in reading order (before they become statements).
        `force` parses every sentence, prefilter or not (evaluation)."""
        sents = sents if sents is not None else self.sentences(article)
        self.seen_sentences += len(sents)
        todo = [(k, u) for k, (u, wanted, _) in enumerate(sents) if wanted or force]
        if docs is None:
            docs = list(self.nlp.pipe(u.text for _, u in todo))
        self.parsed_sentences += len(todo)
        context = self._context()
        frames: list[Frame] = []
        for (k, unit), doc in zip(todo, docs, strict=True):
            frames.extend(self._frames_in(doc, unit, k, sents[k][2], article, context))
        _link_embedded(frames)
        fill_from_context(frames)
        return frames

    def _context(self):
        try:
            from ..registry import DiscourseContext
        except ImportError:
            return None
        try:
            return DiscourseContext()
        except TypeError:
            return None

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

    def _resolve(self, doc, on, context):
        try:
            return self.resolver.resolve(doc, on, context)
        except TypeError:
            return self.resolver.resolve(doc, on)

    def _frames_in(self, doc, unit: Unit, k: int, quote_speaker, article: Article, context) -> list[Frame]:
        mentions = self._resolve(doc, article.published, context)
        index = MentionIndex(doc, mentions, self.lex, self._country_of_word, self._country_actor)
        blocked = set()
        for m in mentions:
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is not None and len(span) > 1 or (span is not None and span.root.pos_ == "PROPN"):
                blocked.update(t.i for t in span)
        triggers = find_triggers(doc, self.lex, blocked)
        if not triggers:
            return []
        at = {t.head: n for n, t in enumerate(triggers)}
        out: list[Frame] = []
        all_mentions = None
        for t in triggers:
            args = arguments(doc, t, index, self.lex, at)
            mod = modality_of(doc, t.head, self.lex.cues)
            attribution, speaker = None, None
            if mod.speaker is not None:
                if all_mentions is None:
                    all_mentions = _AllMentions(doc, mentions)
                acts = actors_of(mod.speaker, index) or actors_of(mod.speaker, all_mentions)
                if acts:
                    attribution = acts[0].actor.name
                    if acts[0].actor.kind not in self.lex.cues.media_kinds:
                        speaker = acts[0].actor
                elif unit.speaker:
                    attribution, speaker = unit.speaker, quote_speaker
                elif mod.speaker.pos_ != "PRON":
                    attribution = " ".join(w.text for w in mod.speaker.subtree)[:80]
            elif unit.speaker:
                attribution, speaker = unit.speaker, quote_speaker
            modality = mod.value
            if modality == "asserted" and attribution:
                modality = "claimed"
            entry, extra = t.entry, {}
            sources, targets = [m.actor for m in args.sources], [m.actor for m in args.targets]
            notes = []
            if args.pronoun_subject and speaker is not None and not sources:
                sources, notes = [speaker], ["pronoun=speaker"]  # "Syria says it is willing to withdraw"
            if mod.obligation and speaker is not None and modality in ("claimed", "future", "planned"):
                # "Russia said Sudan must return the helicopter": Russia demands of Sudan (CAMEO 02x)
                extra["demanded_type"] = entry.type
                entry = entry.coded_as("REQUEST", self.lex.intent.get(("REQUEST", "obligation"), ("REQUEST", "020"))[1])
                sources, targets, notes = [speaker], [a for a in sources if a.id != speaker.id], notes + ["must"]
            coded = self.lex.intent.get((entry.type, modality))
            if coded:
                extra["intended_type"] = entry.type
                entry = entry.coded_as(*coded)
            used = {i for m in args.sources + args.targets + args.pooled for i in _tokens(doc, m)}
            head = doc[t.head]
            frame = Frame(
                entry=entry, extra=extra, trigger_text=t.text(doc),
                sources=sources, targets=targets, notes=notes,
                pooled=[m.actor for m in args.pooled], pattern=args.pattern, modality=modality,
                attribution=attribution, speaker=speaker,
                when=self._date(doc, t.head, article.published) if not t.entry.relation else reported(article.published),
                location=None if t.entry.relation else find_location(doc, t.head, used), article_id=article.id, sentence=unit.text,
                char_start=unit.start, char_end=unit.start + len(unit.text) if unit.start is not None else None,
                depth=_depth(head), unit=k, trigger_nominal=t.nominal,
                rank=_depth(head) + (1 if t.nominal and head.dep_ not in ("dobj", "nsubj", "nsubjpass", "ROOT") else 0)
                + (1 if head.dep_ in ("advcl", "xcomp") and not t.nominal else 0),
                definite=t.nominal and any(c.dep_ in ("det", "poss") and c.lower_ in ("the", "this", "that", "its")
                                           for c in head.children),
            )
            if unit.kind == "title":
                frame.notes.append("headline")
            out.append(frame)
        # Frames whose trigger sits inside another trigger's clause ("a plot ... to launch an attack"),
        # and frames that tell the same event twice in one sentence ("killed in a U.S. strike",
        # "the airstrike occurred ..., targeting X"): their arguments are shared later.
        for n, t in enumerate(triggers):
            cur = doc[t.head]
            for _ in range(6):
                if cur.head.i == cur.i or cur.dep_ not in _EMBEDDING_DEPS:
                    break
                cur = cur.head
                if cur.i in at and at[cur.i] != n:
                    out[n].embedded_in = ("local", at[cur.i])  # made an article index by _link_embedded
                    break
            head = doc[t.head]
            linked = set()
            if head.dep_ == "pobj" and head.head.lower_ in _INSTRUMENT_PREPS and head.head.head.i in at:
                linked.add(at[head.head.head.i])
            if not t.nominal:
                _, subj_tok = subject_of(head, index)
                if subj_tok is not None and subj_tok.i in at:
                    linked.add(at[subj_tok.i])
                for c in head.children:
                    if c.dep_ in ("nsubj", "nsubjpass") and c.i in at:
                        linked.add(at[c.i])
            elif head.dep_ in ("nsubj", "nsubjpass"):
                gov = head.head
                for c in gov.children:
                    if c.dep_ in ("advcl", "xcomp", "conj") and c.i in at:
                        linked.add(at[c.i])
            out[n].links = [("local", m) for m in linked if triggers[m].entry.type == t.entry.type and m != n]
        return out

    def _date(self, doc, trigger_i: int, published: date | None) -> EventDate:
        date_ents = [e for e in doc.ents if e.label_ in _DATE_LABELS]
        if not date_ents:
            return reported(published)
        trig = doc[trigger_i]
        gov = governor(trig)
        subtree = {t.i for t in trig.subtree}
        above = {a.i for a in gov.ancestors}
        best = None
        for ent in date_ents:
            egov = governor(ent.root)
            if egov.lemma_.lower() in self.lex.cues.reporting and egov.i not in (trig.i, gov.i):
                continue  # "reported on Wednesday": the date of the report, not of the event
            in_scope = ent.root.i in subtree or egov.i == gov.i or egov.i in above
            if not in_scope:
                continue
            resolved = resolve(ent.text, published)
            if resolved is None:
                continue
            dist = abs(ent.root.i - trigger_i)
            if best is None or dist < best[0]:
                best = (dist, resolved)
        return best[1] if best else reported(published)

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
            plans.append((article, sents, [u.text for u, wanted, _ in sents if wanted]))
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
        return to_statements(frames, article.published)


class _AllMentions:
    """A MentionIndex over every mention (outlets included), for naming speakers."""

    def __init__(self, doc, mentions):
        self.by_token = {}
        self.onlooker = frozenset()
        for m in mentions:
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            for t in span or ():
                self.by_token.setdefault(t.i, m)


def _tokens(doc, m) -> list[int]:
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    return [t.i for t in span] if span is not None else []


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
