"""Which kind of pressure a seller turn puts on the buyer: a small learned classifier.

The kinds (a discount, a deadline, chasing, a meeting asked for before a reason, social
proof) are said in endless ways: "founding-district pricing", "could I grab forty-five
minutes", "eight of the ten biggest credit unions run on us". Hand-written patterns caught
the phrasings their author had seen and missed most others (62% of the kinds right on a
blind set), so the kind is read by a multinomial logistic regression over the turn's
words, word pairs and the patterns' hits, trained on seller turns written for it
(``trainer.authoring.pressure_training``; the file is ``pressure.json.gz`` beside this one).

Scoring is plain Python over a few dozen features: no numpy at run time. The engine reads
it for every turn, for every backend, so the buyer answers a push the same way whoever
plays it.
"""

from __future__ import annotations

import gzip
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any, Literal

from trainer.errors import InputError
from trainer.text import normalise, stem, words

PressureKind = Literal["discount", "deadline", "chasing", "meeting", "social_proof"]
PRESSURE_KINDS: tuple[PressureKind, ...] = (
    "discount",
    "deadline",
    "chasing",
    "meeting",
    "social_proof",
)
CLASSES: tuple[str, ...] = ("none", *PRESSURE_KINDS)

SHIPPED = Path(__file__).with_name("pressure.json.gz")
FORMAT = "trainer-pressure"
VERSION = 1


CONFIDENT = 0.7
"""The chance that a turn pushes at all (any kind) before it is heard as a push whatever
the judge says: a pitch that calls itself "the leading platform" (a push at 0.64) is a
pitch; "our customers love it, a 12-hotel group cut..." (0.99) is social proof. A turn the
judge read as pressure gets its likeliest kind however unsure (``likeliest_kind``)."""


class PressureModelError(InputError):
    """A pressure model file that cannot be used; the message says which and why."""


@dataclass(frozen=True)
class PressureModel:
    """The classes' intercepts and each feature's weight per class."""

    intercepts: tuple[float, ...]
    weights: Mapping[str, tuple[float, ...]]
    trained_on: Mapping[str, Any]

    def probabilities(self, features: Mapping[str, float]) -> dict[str, float]:
        totals = list(self.intercepts)
        for name, value in features.items():
            row = self.weights.get(name)
            if row is not None:
                for k, weight in enumerate(row):
                    totals[k] += weight * value
        top = max(totals)
        exps = [math.exp(t - top) for t in totals]
        total = sum(exps)
        return {cls: e / total for cls, e in zip(CLASSES, exps, strict=True)}

    def to_document(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": VERSION,
            "classes": list(CLASSES),
            "intercepts": [round(v, 5) for v in self.intercepts],
            "weights": {k: [round(v, 5) for v in row] for k, row in sorted(self.weights.items())},
            "trained_on": dict(self.trained_on),
        }

    def save(self, path: Path) -> None:
        """Write the model; the same model always gives the same bytes."""
        body = json.dumps(self.to_document(), sort_keys=True, separators=(",", ":"))
        path.write_bytes(gzip.compress(body.encode("utf-8"), mtime=0))


def load(path: Path = SHIPPED) -> PressureModel:
    try:
        document = json.loads(gzip.decompress(path.read_bytes()).decode("utf-8"))
    except (OSError, ValueError, EOFError) as exc:
        raise PressureModelError(f"{path}: not a pressure model file ({exc})") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise PressureModelError(f"{path}: not a pressure model file")
    if document.get("version", 0) > VERSION or tuple(document.get("classes", ())) != CLASSES:
        raise PressureModelError(f"{path}: made by a newer trainer or for other kinds")
    weights = {str(k): tuple(float(v) for v in row) for k, row in document["weights"].items()}
    intercepts = tuple(float(v) for v in document["intercepts"])
    return PressureModel(intercepts, weights, document.get("trained_on", {}))


@lru_cache(maxsize=1)
def shipped() -> PressureModel:
    return load(SHIPPED)


# ------------------------------------------------------------------ the turn's features

_DAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|tonight|noon)"
_MONTH = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|"
    r"december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)"
)
_NUMBER_WORDS_TEXT = """one two three four five six seven eight nine ten eleven twelve fifteen
    twenty thirty forty fifty sixty seventy eighty ninety hundred thousand half dozen"""
_NUMBER_WORDS = frozenset(_NUMBER_WORDS_TEXT.split())

PATTERNS: dict[str, re.Pattern[str]] = {
    "discount": re.compile(
        r"(?<![a-z])(?:\d+ ?(?:%|percent) (?:off|discount|lower|less)|"
        r"(?:take|knock|shave|bring) (?:\w+ ){0,4}(?:off|down by \d+ ?(?:%|percent))|"
        r"down by \d+ ?(?:%|percent)|percent off|price (?:break|cut)|waive\w*|"
        r"free (?:month|months|trial|implementation|onboarding|setup|licen[cs]es?|year)|"
        r"months? free|for free|at no (?:extra |additional )?(?:cost|charge)|no charge|"
        r"lower (?:the |our |your )?price|throw in|match (?:any|their|the) price|"
        r"reduced (?:rate|price)|money off|cheaper|rebate|(?:sweeten|sweet) (?:the )?deal|"
        r"(?:extra|another|further|additional) \d+ ?(?:%|percent)|"
        r"(?:approve|approved|give you|get you|offer you|do|authori[sz]ed to give you) "
        r"(?:an? )?(?:extra |another |further )?\d+ ?(?:%|percent)|"
        r"(?:price|cost|fee|rate|number|quote|proposal)s? down|down to \$?\d)"
        r"(?![a-z])"
    ),
    "discount_talk": re.compile(
        r"(?<![a-z])(?:discounts?|discounted|special (?:price|pricing|rate|offer)|best price|"
        r"promo(?:tion(?:al)?)?|launch (?:partner )?pricing)(?![a-z])"
    ),
    "deadline": re.compile(
        r"(?<![a-z])(?:today only|only today|"
        rf"(?:by|before|until) (?:this |next )?{_DAY}|expires?|expiring|"
        r"(?:price|prices|pricing|rate|rates) (?:go(?:es)? up|increases?|rises?|changes?|"
        r"will (?:go up|increase|change))|before (?:the |our )?(?:price|prices|increase|rise|"
        r"deadline)|limited[- ]time|last chance|(?:sign|decide|commit|close) (?:\w+ )?"
        r"(?:today|now|this week|by|before)|lock (?:it |this |that )?in|won'?t last|running out|"
        r"(?:only|just)(?: got| have)? (?:a few |\w+ )(?:[\w-]+ )?(?:slots|spots|places|seats) "
        r"left|act (?:now|fast)|"
        r"before it'?s too late|no later than|afford to wait|(?:ends|closes|ending|closing) "
        rf"(?:on |in |this |next )?(?:{_DAY}|\w+ weeks?|soon|the month|the quarter)|"
        r"(?:quarter|year|month) (?:ends|closes)|(?:ends|closes) (?:on|in)\b|"
        rf"(?:through|thru|till|until) (?:this |next )?{_DAY}|only (?:good|valid|guaranteed)|"
        r"guaranteed (?:until|through|till))(?![a-z])"
    ),
    "deadline_soft": re.compile(
        r"(?<![a-z])(?:this quarter|end of (?:the )?(?:quarter|month|year|week|day)|"
        r"quarter[- ]end|month[- ]end|year[- ]end|end of day|eod|deadline)(?![a-z])"
    ),
    "sellers_ask": re.compile(
        r"(?<![a-z])(?:sign|signed|signature|decide|decision|commit|close|closing|contract|"
        r"order|price|prices|pricing|offer|discount|deal|rate|paperwork|agreement|lock|our|"
        r"i need|i'?d need|need (?:an answer|a yes|you)|get (?:this|it|something) "
        r"(?:done|on paper))(?![a-z])"
    ),
    "ending": re.compile(
        r"(?<![a-z])(?:ends?|ending|expires?|expiring|until|through|thru|till|only (?:good|"
        r"valid|guaranteed)|won'?t (?:last|hold)|goes away|runs out)(?![a-z])"
    ),
    "chasing": re.compile(
        r"(?<![a-z])(?:checking in|check in|circling back|circle back|touch(?:ing)? base|"
        r"any (?:update|updates|news|thoughts)|bump(?:ing)? (?:this|my)|did you (?:get|see|"
        r"read) my|haven'?t heard|following up on my|just following up|wanted to follow up|"
        r"follow(?:ing)? up (?:again|on (?:my|our) (?:email|message|voicemail|call|proposal))|"
        r"ping(?:ing)? you|(?:my|our) (?:last|previous) (?:email|message|voicemail)|"
        r"where (?:are|do) (?:we|things) (?:stand|at)|had a chance to (?:look|review|read|think)|"
        r"what i sent)(?![a-z])"
    ),
    "meeting": re.compile(
        r"(?<![a-z])(?:(?:book|schedule|set up|setup|grab|get|put|find|lock in|arrange) "
        r"(?:in )?(?:a |some |an? |another |\d+ |thirty |fifteen |twenty )?(?:quick |short )?"
        r"(?:minutes? )?"
        r"(?:time|call|meeting|demo|slot|session|walkthrough|walk-through|chat|hour)|demo|"
        r"calendar (?:invite|slot)|meet (?:next|this|on|tomorrow)|(?:hop|jump|get) on a "
        r"(?:quick |short )?(?:call|zoom|teams)|(?:can|could|shall) we (?:meet|talk|speak) "
        r"(?:next|on|this|tomorrow)|(?:15|20|30|45|fifteen|twenty|thirty) minutes (?:next|this|"
        r"on|tomorrow|with)|next (?:tuesday|monday|wednesday|thursday|friday|week) at|"
        r"are you free)(?![a-z])"
    ),
    "social_proof": re.compile(
        r"(?<![a-z])(?:everyone|everybody|all (?:of )?(?:your|the) (?:competitors|peers|"
        r"industry)|most (?:of )?(?:your|the) (?:peers|industry|competitors|market)|"
        r"companies like yours (?:use|choose|trust|are using)|(?:leading|top|biggest|largest) "
        r"(?:[\w-]+ ){0,2}(?:brands|companies|firms|players|names|systems|chains|groups|banks|"
        r"hospitals|retailers|manufacturers|3pls|carriers|providers|operators|utilities|"
        r"networks)|used by|trusted by|trusts? us|customers include|clients include|"
        r"(?:\d[\d,]*|hundreds|thousands|dozens) of (?:companies|customers|clients|"
        r"organi[sz]ations|firms|teams|\w+ (?:companies|firms|chains|groups|sites))|"
        r"fortune (?:500|100)|amlaw \d+|industry leaders?|your competitors? (?:use|uses|are "
        r"using|switched|chose|already|run)|(?:already|all) (?:use|using|switched to|rely on|"
        r"run on) us|already run (?:on )?(?:us|\w+)|household names|(?:half|most) of (?:the|"
        r"your) (?:market|industry|sector|top)|"
        r"(?:every|most|all|many|half|lots)(?: of)?(?: the| your)? (?:[\w'-]+ ){1,8}?"
        r"(?:is|are|has|have)(?: already| now| all)? (?:switching|switched|moving|moved|"
        r"signing up|signed up|standardi[sz]ing|standardi[sz]ed|adopting|adopted|going with|"
        r"gone with|choosing|chose|(?:on|using|with) (?:us|our))|"
        r"(?:our )?customers (?:love|swear by|rave)|research shows|studies show|"
        r"top performers|best[- ]in[- ]class|(?:become|becoming) the standard|"
        r"industry standard|de facto standard|"
        r"(?:a|one) (?:\d+[- ]?[a-z-]*|[a-z-]+)(?: [a-z-]+){0,3} (?:group|chain|company|client|"
        r"customer|district|hospital|utility|operator|firm|bank|agency|network|retailer|"
        r"railroad|school|practice|plant|site)s? (?:just |recently )?(?:cut|saved|reduced|grew|"
        r"increased|doubled|halved|slashed|boosted))(?![a-z])"
    ),
}
"""Hand-written phrasings of each kind: features for the classifier, not its verdict."""

_NAMED_ADOPTERS = re.compile(
    r"\b(?:[Ee]very|[Mm]ost|[Aa]ll|[Mm]any|[Hh]alf)\b[^.?!]{0,80}?\b(?:are|is|run|runs)"
    r"(?: already| now| all)?(?: their| its)?(?: [a-z]+)? (?:on|using|with|run on|running on) "
    r"[A-Z][A-Za-z]+"
    r"|\balready (?:use|uses|using|run|runs|on) [A-Z][A-Za-z]+"
)
"""Social proof naming the seller's product ("most of the railroads are on CrewBoard"),
read on the text as typed, where the product's name has its capital."""

_TOKEN_CLASSES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(rf"^{_DAY}$"), "<day>"),
    (re.compile(rf"^{_MONTH}$"), "<month>"),
    (re.compile(r"^\d+(?:st|nd|rd|th)$"), "<ordinal>"),
    (re.compile(r"^\d+$"), "<num>"),
)


def _token(word: str) -> str:
    for pattern, name in _TOKEN_CLASSES:
        if pattern.match(word):
            return name
    if word in _NUMBER_WORDS or ("-" in word and word.split("-")[0] in _NUMBER_WORDS):
        return "<num>"
    return stem(word)


@lru_cache(maxsize=4096)
def features(text: str) -> dict[str, float]:
    """The turn's words (stemmed; numbers, days and months as classes), its word pairs,
    its question marks and the hand-written patterns' hits."""
    norm = normalise(text)
    tokens = [_token(w) for w in words(norm.replace("%", " percent "))]
    found: dict[str, float] = {f"w:{t}": 1.0 for t in tokens}
    found.update({f"b:{a}_{b}": 1.0 for a, b in pairwise(tokens)})
    if "?" in text:
        found["has_question"] = 1.0
    for name, pattern in PATTERNS.items():
        if pattern.search(norm):
            found[f"re:{name}"] = 1.0
    sentences = re.findall(r"[^.?!]+[.?!]*", norm) or [norm]
    if any(
        PATTERNS["deadline_soft"].search(s) and PATTERNS["sellers_ask"].search(s) for s in sentences
    ):
        found["re:deadline_put_on_buyer"] = 1.0
    if _NAMED_ADOPTERS.search(text):
        found["re:named_adopters"] = 1.0
    return found


def kind_probabilities(text: str, model: PressureModel | None = None) -> dict[str, float]:
    """Each class's chance ("none" and the five kinds)."""
    return (model or shipped()).probabilities(features(text))


def pressure_kind(text: str, model: PressureModel | None = None) -> PressureKind | None:
    """The kind of pressure the buyer answers, or None when the turn holds none."""
    chances = kind_probabilities(text, model)
    if chances["none"] > 1 - CONFIDENT:
        return None
    return _answered_first(text, _kind(max(PRESSURE_KINDS, key=lambda kind: chances[kind])))


def likeliest_kind(text: str, model: PressureModel | None = None) -> PressureKind:
    """The likeliest kind, for a turn already known to push (the judge read pressure)."""
    chances = kind_probabilities(text, model)
    return _answered_first(text, _kind(max(PRESSURE_KINDS, key=lambda kind: chances[kind])))


def _answered_first(text: str, kind: PressureKind) -> PressureKind:
    """The labelling guide's order for a push of several kinds: the offer itself before
    the date hung on it ("20% off if you sign this week" is a discount; "the special price
    ends Friday" a deadline), and a meeting asked for before the chasing around it."""
    found = features(text)
    offer = "re:discount" in found or ("re:discount_talk" in found and "re:ending" not in found)
    if offer:
        return "discount"
    if kind == "chasing" and "re:meeting" in found:
        return "meeting"
    return kind


def _kind(name: str) -> PressureKind:
    for kind in PRESSURE_KINDS:
        if kind == name:
            return kind
    raise ValueError(name)
