"""Anonymised reports of portal problems: post, confirm, discuss, follow up."""

from flask import Flask


def init_app(app: Flask) -> None:
    from credgroup.reports import notifications, review_views, views, watch_views

    app.register_blueprint(views.bp)
    app.register_blueprint(review_views.bp)
    app.register_blueprint(watch_views.bp)
    notifications.connect_receivers()
