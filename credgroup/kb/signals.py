"""Signals of the knowledge base, for features that react to articles (search indexes them).

Both carry the Article as ``sender`` and nothing about who wrote or edited it. They are sent
inside the transaction that made the change (before the caller commits), so a listener that
writes an outbox row writes it in the same transaction: a rollback drops both.
"""

from blinker import Namespace

_signals = Namespace()

#: A published article is new or changed: published, edited, restored from the archive, a
#: revision restored, a suggestion accepted, re-imported, or its "worked for us" count moved.
#: Only sent while the article is published (``sender.state`` is PUBLISHED).
article_saved = _signals.signal("kb-article-saved")

#: An article stopped being published (archived). Listeners drop it from what they show.
article_removed = _signals.signal("kb-article-removed")
