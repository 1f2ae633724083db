"""Whether a buyer's reply carries a hidden fact.

A fact counts as learned only when the buyer said it. The engine decides that a turn
earns a fact; the buyer is then asked to share it, and a model may not. So each reply is
checked, and a fact it did not carry stays earned but unlearned, and is offered again.

The rule, for one fact and one reply:

1. The reply holds the fact's ``reveal`` word for word (the offline buyer speaks it so):
   carried.
2. Otherwise the reply must give the fact's particulars, taken from its plain statement
   (``fact``, which is what a model is told):

   - a fact whose statement has **figures** (numbers other than small whole ones, 0-12:
     "two years ago" is no particular) needs one of them: a number in the reply within
     10%, in digits or in words ("$410,000", "410k", "four hundred and ten thousand"),
     a sum perhaps without its thousands ("two hundred forty a year" for $240,000);
   - any other fact needs three of its **key words** (all of them, if it has fewer): the
     statement's content words (four letters or more, not stopwords, stemmed), less those
     already public in the exchange: the seller's turn, the persona's name, role and
     organisation, and the scenario's brief. Echoing the question or the company's
     name is not saying the fact.

A fact with neither key words nor figures cannot be checked and counts as carried.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from trainer.content.library import ResolvedScenario
from trainer.content.models import HiddenFact
from trainer.text import content_stems, normalise

NEEDED_KEY_WORDS = 3
TOLERANCE = 0.10
"""How far a number may be from a figure and still be it: "a bit over four hundred
thousand" is $410,000."""
SMALL_WHOLE = 12

_UNIT_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen "
    "fourteen fifteen sixteen seventeen eighteen nineteen"
)
_TENS_WORDS = "twenty thirty forty fifty sixty seventy eighty ninety"
_ORDINAL_WORDS = (
    "zeroth first second third fourth fifth sixth seventh eighth ninth tenth eleventh "
    "twelfth thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth"
)
_UNITS = dict(zip(_UNIT_WORDS.split(), range(20), strict=True))
_UNITS |= dict(zip(_ORDINAL_WORDS.split(), range(20), strict=True))
_UNITS |= {"twentieth": 20, "thirtieth": 30}
_TENS = dict(zip(_TENS_WORDS.split(), range(20, 100, 10), strict=True))
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "k": 1e3, "m": 1e6, "bn": 1e9}
_TOKEN = re.compile(r"\d[\d,]*(?:\.\d+)?|[a-z]+")


def carries(fact: HiddenFact, reply: str, public: set[str]) -> bool:
    """Whether ``reply`` says ``fact`` (the rule is in the module's docstring). ``public``
    is ``public_stems`` of the exchange."""
    said = normalise(reply)
    if normalise(fact.reveal).strip() in said:
        return True
    figures = [n for n in numbers(fact.fact) if not (n.is_integer() and n <= SMALL_WHOLE)]
    if figures:
        given = numbers(said)
        return any(_near(f, n) for f in figures for n in given)
    keys = content_stems(fact.fact) - public
    if not keys:
        return True
    return len(keys & content_stems(said)) >= min(NEEDED_KEY_WORDS, len(keys))


def public_stems(setup: ResolvedScenario, seller_text: str) -> set[str]:
    """The words a reply can use without saying anything hidden: the seller's turn, who
    the buyer is, and what the seller knew before the call."""
    persona, brief = setup.persona, setup.scenario.brief
    texts = [
        seller_text,
        persona.name,
        persona.role,
        persona.organisation,
        brief.situation,
        brief.product.name,
        *brief.research,
    ]
    return _stems(texts)


def _stems(texts: Iterable[str]) -> set[str]:
    found: set[str] = set()
    for text in texts:
        found |= content_stems(text)
    return found


def _near(figure: float, number: float) -> bool:
    """Within 10%, or a sum said without its thousands or millions ("two hundred forty a
    year" for $240,000, "three point four" for $3.4 million)."""
    candidates = [figure]
    if figure >= 10_000:
        candidates += [figure / 1e3, figure / 1e6]
    return any(abs(c - number) <= TOLERANCE * max(abs(c), abs(number)) for c in candidates)


def _extends(current: float, value: int) -> bool:
    """Whether a number word adds to the number so far: "twenty" + "two", "hundred" +
    "five", but not "nine" + "twenty"."""
    last_two = current % 100
    return last_two == 0 or (value < 10 and last_two >= 20 and last_two % 10 == 0)


def numbers(text: str) -> list[float]:
    """The numbers in ``text``, in digits or words, with their scale: "3.4 million",
    "410k", "twenty-two", "twelve point four", "a hundred and twenty thousand"."""
    tokens = _TOKEN.findall(normalise(text).replace("-", " "))
    found: list[float] = []
    total = 0.0
    current: float | None = None
    i = 0

    def flush() -> None:
        nonlocal total, current
        if current is not None or total:
            found.append(total + (current or 0.0))
        total, current = 0.0, None

    while i < len(tokens):
        token = tokens[i]
        following = tokens[i + 1] if i + 1 < len(tokens) else ""
        if token[0].isdigit():
            flush()
            current = float(token.replace(",", ""))
        elif token in _UNITS or token in _TENS:
            value = _UNITS.get(token, _TENS.get(token, 0))
            if current is not None and not _extends(current, value):
                flush()  # "nine twenty", "sixty four two": separate numbers
            current = (current or 0.0) + value
        elif token == "hundred" and (current is not None or total):
            current = (current or 1.0) * 100
        elif token in _SCALES and (current is not None or (token.isalpha() and total)):
            total += (current if current is not None else 1.0) * _SCALES[token]
            current = None
        elif token == "a" and following in ("hundred", "thousand", "million"):
            flush()
            current = 1.0
        elif token == "point" and current is not None and following in _UNITS:
            i += 1
            digits = ""
            while i < len(tokens) and tokens[i] in _UNITS and _UNITS[tokens[i]] < 10:
                digits += str(_UNITS[tokens[i]])
                i += 1
            current += float(f"0.{digits}") if digits else 0.0
            continue
        elif (
            token == "and"
            and (current is not None or total)
            and (following in _UNITS or following in _TENS)
        ):
            pass
        else:
            flush()
        i += 1
    flush()
    return found
