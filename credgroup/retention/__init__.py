"""Retention: the association decides how long reports are kept; the worker purges the rest.

A report with no activity (edit, publication, status change, comment, question, answer,
confirmation) for the chosen number of months is purged with its discussion, its
confirmations and questions, its digest items and its links to articles; the search index
drops it through the outbox. Purging, not archiving: an archived report would keep exactly
the text whose exposure the retention exists to limit (see ``purge`` for what stays).
"""

from flask import Flask


def init_app(app: Flask) -> None:
    from credgroup.retention import views

    app.register_blueprint(views.bp)
