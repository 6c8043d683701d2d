"""The yardstick: a bare Flask endpoint served by the same gunicorn configuration.

``deploy/gunicorn.conf.py``'s ``post_fork`` drops the app's pooled database connections,
so this app registers the same SQLAlchemy extension (on an in-memory SQLite it never opens)
for that hook to find; nothing else of credgroup is loaded.
"""

from __future__ import annotations

from flask import Flask

from credgroup.extensions import db

PAGE = "<!doctype html><html lang=en><title>ok</title><p>ok</p></html>"

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
db.init_app(app)


@app.get("/")
def bare() -> str:
    return PAGE
