"""The record `accordingto` produces: frozen dataclasses of character offsets.

Every span is half-open ``[start, end)`` in Python string indices into
``Article.text`` exactly as analyzed, and carries its ``text`` so that a reader
can check it without the article at hand.  Nothing here depends on spaCy: the
``Doc`` is a working object of the NLP stages and never leaves them.

IDs are content hashes (see :func:`content_id`), so analyzing the same article
twice gives the same IDs and a store can upsert.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

__all__ = [
    "SCHEMA_VERSION",
    "Analysis",
    "Article",
    "Diagnostic",
    "EntityKind",
    "Event",
    "Modality",
    "Mark",
    "MarkKind",
    "Quote",
    "QuoteKind",
    "ReportedAs",
    "Span",
    "Speaker",
    "content_id",
    "contains",
    "overlaps",
]

#: Version of the JSON schema written by :meth:`Analysis.to_dict`.  Bump the
#: minor part for additive changes, the major part for breaking ones.
SCHEMA_VERSION = "1.2"


def content_id(*parts: object, prefix: str = "") -> str:
    """A short stable ID: the first 16 hex digits of SHA-256 over ``parts``."""
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()
    return f"{prefix}{digest[:16]}"


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Do the half-open ranges ``a`` and ``b`` share a character?"""
    return a[0] < b[1] and b[0] < a[1]


def contains(outer: tuple[int, int], inner: tuple[int, int]) -> bool:
    """Does the half-open range ``outer`` hold all of ``inner``?"""
    return outer[0] <= inner[0] and inner[1] <= outer[1]


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A half-open character range of ``Article.text`` and the text it covers."""

    start: int
    end: int
    text: str

    @classmethod
    def of(cls, text: str, start: int, end: int) -> Span:
        """The span ``text[start:end]``."""
        return cls(start, end, text[start:end])

    def __len__(self) -> int:
        return self.end - self.start

    @property
    def range(self) -> tuple[int, int]:
        return self.start, self.end

    def overlaps(self, other: Span) -> bool:
        return overlaps(self.range, other.range)

    def contains(self, other: Span) -> bool:
        return contains(self.range, other.range)


@dataclass(frozen=True, slots=True)
class Article:
    """The text that was analyzed and what is known about where it came from."""

    text: str
    title: str | None = None
    byline: str | None = None
    date: str | None = None
    outlet: str | None = None
    url: str | None = None
    #: ``text``, ``markdown`` or ``html`` (for HTML, ``text`` is the extracted main text).
    format: str = "text"
    language: str | None = None

    @property
    def id(self) -> str:
        return content_id(self.text, prefix="a_")


class EntityKind(StrEnum):
    """What kind of source a speaker is."""

    PERSON = "person"
    ORGANIZATION = "organization"
    OUTLET = "outlet"
    ANONYMOUS = "anonymous"
    AUTHOR = "author"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Speaker:
    """An entity quoted in the article, resolved over all its mentions."""

    id: str
    name: str
    kind: EntityKind
    role: str | None = None
    mentions: tuple[Span, ...] = ()


class QuoteKind(StrEnum):
    """How the words are reported."""

    #: Verbatim words between quotation marks.
    DIRECT = "direct"
    #: Reported speech without quotation marks ("said that …", "according to …").
    INDIRECT = "indirect"
    #: Reported speech that includes a quoted fragment.
    MIXED = "mixed"


class ReportedAs(StrEnum):
    """What an attribution's cue reports (definitions and gold: ``eval/gold/README.md``)."""

    #: A communicative act, spoken, written, shown or published: said, wrote, according to.
    SPEECH = "speech"
    #: Belief, knowledge, perception, feeling: believes, fears, knows, was frustrated.
    THOUGHT = "thought"
    #: Desire, plan, purpose or decision: wants, seeks, plans, decided, refuses to.
    INTENTION = "intention"
    #: A non-verbal act taken as a position: voted against, signed, appointed.
    ACTION = "action"
    #: None of these: "seemed to capture", "looking out on".
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Quote:
    """One attributed statement.

    ``content`` has several spans when the cue splits the quotation
    ("“…,” he said. “…”").  ``source`` is the mention as written in the text
    (``he``); ``speaker_id`` points at the resolved :class:`Speaker`.
    ``via`` lists the speaker IDs through which the statement reached the
    article, outermost first: "The New York Times, citing Sam Bendett, wrote …"
    has speaker Bendett and ``via`` the New York Times.
    """

    id: str
    kind: QuoteKind
    content: tuple[Span, ...]
    cue: Span | None = None
    source: Span | None = None
    speaker_id: str | None = None
    via: tuple[str, ...] = ()
    confidence: float = 0.5
    #: How the speaker was found: ``cue`` (a cue in the sentence), ``according-to``,
    #: ``continuation`` (no cue: continues the previous speaker), ``title`` (headline form).
    method: str = "cue"
    #: What the cue reports: speech ("said"), a thought ("believes"), an intention ("decided"),
    #: an action ("voted against") or other; a continuation reports what its predecessor did.
    reported_as: ReportedAs = ReportedAs.SPEECH
    #: The probability that ``speaker_id`` is the right speaker (``confidence`` is that of the
    #: attribution as a whole); None when no speaker was resolved.
    speaker_confidence: float | None = None

    @property
    def start(self) -> int:
        return self.content[0].start

    @property
    def end(self) -> int:
        return self.content[-1].end


class MarkKind(StrEnum):
    """Quotation marks that do not report speech."""

    SCARE = "scare"
    TITLE = "title"


@dataclass(frozen=True, slots=True)
class Mark:
    """A quoted stretch that is not speech: scare quotes or the title of a work."""

    kind: MarkKind
    span: Span


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """Something the analyzer noticed and could not make sense of, e.g. an unclosed quote."""

    code: str
    message: str
    span: Span | None = None


@dataclass(frozen=True, slots=True)
class Analysis:
    """Everything found in one article, with the versions that produced it."""

    article: Article
    quotes: tuple[Quote, ...] = ()
    speakers: tuple[Speaker, ...] = ()
    marks: tuple[Mark, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    versions: dict[str, str] = field(default_factory=dict)
    #: Reported events (``docs/events.md``); empty when events were not looked for.
    events: tuple[Event, ...] = ()

    def speaker(self, speaker_id: str | None) -> Speaker | None:
        """The speaker with this ID, or ``None``."""
        return next((s for s in self.speakers if s.id == speaker_id), None)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form, documented in ``docs/schema.md``."""
        data = asdict(self)
        data["article"]["id"] = self.article.id
        return {"schema_version": SCHEMA_VERSION, **data}


class Modality(StrEnum):
    """Whether a reported event took place, by the words that report it."""

    HAPPENED = "happened"
    ONGOING = "ongoing"
    #: Planned, announced or decided ("will send", "decided to send").
    PLANNED = "planned"
    THREATENED = "threatened"
    DEMANDED = "demanded"
    #: Possible, conditional or intended ("might test", "aimed at provoking").
    HYPOTHETICAL = "hypothetical"
    #: Denied or said not to happen ("does not enable", "failure to retaliate").
    NEGATED = "negated"


@dataclass(frozen=True, slots=True)
class Event:
    """One reported event: who did what to whom, when, where, and according to whom.

    ``trigger`` is the word of the action (a verb, or an event noun such as "strike");
    ``mentions`` holds the triggers of every mention of the same occurrence in the
    article, the first included.  Codes are ISO-3 for states, an organisation code
    (``NATO``, ``EU``, ``UN``, ``G7``) otherwise; sectors are PLOVER's (``GOV``,
    ``MIL``, ``MED``, ``CVL``, ``REB`` …).  ``root`` is the PLOVER event type,
    ``quad`` its quad class (1 verbal cooperation, 2 material cooperation,
    3 verbal conflict, 4 material conflict), ``intensity`` the Goldstein score of
    its CAMEO code.  ``claimed_by`` is the speaker ID of the attribution the event
    is reported in, ``None`` when the author asserts it.
    """

    id: str
    trigger: Span
    root: str
    quad: int
    modality: Modality
    actor: Span | None = None
    actor_code: str | None = None
    actor_sector: str | None = None
    target: Span | None = None
    target_code: str | None = None
    target_sector: str | None = None
    cameo: str | None = None
    intensity: float | None = None
    #: ISO date (``2023-05-30``, or ``2023-05`` for a month) and the words that give it.
    date: str | None = None
    date_span: Span | None = None
    place: Span | None = None
    mentions: tuple[Span, ...] = ()
    claimed_by: str | None = None
    confidence: float = 0.5
