"""The resolve stage: found attributions into `Attribution` records.

`Resolver` (resolver.py) builds one `ArticleContext` per article (context.py: person
mentions, full names, quotations, page furniture, gender evidence) and shares it with
the speakers (speakers.py, describing noun phrases in describe.py and resolving pronouns
in pronouns.py) and the statement dates (dates.py); the stance and kind of a cue
(stance.py) need only the cue and its content.
"""

from __future__ import annotations

from .context import ArticleContext
from .dates import coarse_date, weekday_date
from .resolver import Resolver
from .stance import kind_of, stance_of

__all__ = ["ArticleContext", "Resolver", "coarse_date", "kind_of", "stance_of", "weekday_date"]
