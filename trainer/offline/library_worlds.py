"""The starter library's buyer worlds, as names the judge knows.

The judge file knows the names of the worlds it was trained on, so a script written for
one of them and read to another buyer is "meant for someone else". The starter library
grows faster than the corpus: a turn naming Sofia's Portland hotels, read to a bakery's
procurement head, is just as much someone else's script. So the names of every starter
scenario's world join the judge's; a scenario's own names are never foreign to it (the
reading leaves them out before it asks whose they are).
"""

from __future__ import annotations

from functools import lru_cache

from trainer.offline.background import Background
from trainer.offline.vocabulary import vocabulary_for
from trainer.text import STOPWORDS


@lru_cache(maxsize=1)
def starter_names() -> frozenset[str]:
    """Names of the people, companies and places of the starter library's worlds."""
    from trainer.content.library import load_library, package_content_root

    library = load_library([package_content_root()])
    names: set[str] = set()
    for scenario_id in library.scenarios:
        setup = library.find(scenario_id)
        if setup is not None:
            vocabulary = vocabulary_for(setup)
            names |= vocabulary.names | vocabulary.buyer_names | vocabulary.organisation
    return frozenset(n for n in names if len(n) >= 3 and n not in STOPWORDS)


@lru_cache(maxsize=4)
def with_starter_worlds(background: Background) -> Background:
    """``background`` knowing the starter worlds' names too (words sellers write in
    lower case are never names, whichever world they come from)."""
    extra = starter_names() - background.words
    return Background(
        background.common, background.words, background.names | extra, background.terms
    )
