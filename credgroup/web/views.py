"""The home page: a person's groups and what needs them."""

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from credgroup.groups.access import visible_groups

bp = Blueprint("web", __name__)


@bp.get("/")
def home():
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.login"))
    return render_template("web/home.html", groups=visible_groups(current_user))
