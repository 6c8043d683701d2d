"""Pages: sign-in and out, invitations, password reset, profile and API tokens.

Each view parses a form, calls one service, commits, then redirects or renders. When a
service refuses, the view rolls back and shows the message next to the form with the
person's input kept.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user
from flask_login.config import COOKIE_NAME
from flask_wtf import FlaskForm

from credgroup.accounts import services
from credgroup.accounts.forms import (
    ApiTokenForm,
    ChangePasswordForm,
    ForgotPasswordForm,
    InvitationAcceptForm,
    LoginForm,
    ProfileForm,
    ResetPasswordForm,
)
from credgroup.accounts.models import User, trends_digest_chosen
from credgroup.errors import DomainError
from credgroup.extensions import db

bp = Blueprint("accounts", __name__)

RESET_SENT = (
    "If an account exists for that address, we have sent it a link to choose a new "
    "password. Check your email; the link works once."
)
INVALID_FORM_STATUS = 422


# --- helpers ---------------------------------------------------------------------------


def safe_next(target: str | None) -> str:
    """``target`` if it is a path on this site, else the home page (no open redirects)."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        parts = urlsplit(target)
        clean = not any(ch == "\\" or ord(ch) < 32 or ord(ch) == 127 for ch in target)
        if clean and not parts.scheme and not parts.netloc:
            return target
    return url_for("web.home")


def client_ip() -> str:
    # Behind a proxy, deployments wrap the app in werkzeug's ProxyFix so this is the client.
    return request.remote_addr or ""


def sign_in(user: User, *, remember: bool) -> None:
    """Start a fresh session for ``user`` (old session data is dropped, not carried over)."""
    session.clear()
    # Marks any remember-me cookie of a previous sign-in for deletion; login_user then
    # sets a new one only when asked to.
    logout_user()
    login_user(user, remember=remember)
    # Without "keep me signed in" the cookie ends with the browser session.
    session.permanent = remember


def show_error(form: FlaskForm, error: DomainError) -> None:
    """Roll back, and put the service's message on the field it names (or the form)."""
    db.session.rollback()
    field = getattr(error, "field", None)
    if field and field in form:
        form[field].errors = [*form[field].errors, error.message]
    else:
        form.form_errors.append(error.message)


def form_failed(template: str, form: FlaskForm, error: DomainError, **context: Any):
    show_error(form, error)
    return render_template(template, form=form, **context), error.status_code


def form_status(form: FlaskForm) -> int:
    return INVALID_FORM_STATUS if form.is_submitted() else 200


def link_problem(error: DomainError):
    db.session.rollback()
    return render_template(
        "accounts/link_invalid.html", message=error.message, status=error.status_code
    ), error.status_code


# --- signing in and out ----------------------------------------------------------------


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated and request.method == "GET":
        return redirect(safe_next(request.args.get("next")))
    form = LoginForm(next=request.args.get("next", ""))
    if not form.validate_on_submit():
        return render_template("accounts/login.html", form=form), form_status(form)
    try:
        user = services.authenticate(form.email.data, form.password.data, client_ip())
    except DomainError as error:
        return form_failed("accounts/login.html", form, error)
    sign_in(user, remember=form.remember.data)
    db.session.commit()
    return redirect(safe_next(form.next.data))


@bp.post("/logout")
def logout():
    session.clear()
    logout_user()  # after clear(): it leaves the note that deletes the remember-me cookie
    flash("You have signed out.", "success")
    return redirect(url_for("accounts.login"))


# --- invitations -----------------------------------------------------------------------


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    try:
        invitation = services.invitation_for_token(token)
    except DomainError as error:
        return link_problem(error)
    form = InvitationAcceptForm(name=invitation.name)
    page = {"invitation": invitation}
    if not form.validate_on_submit():
        return render_template("accounts/invitation_accept.html", form=form, **page), form_status(
            form
        )
    try:
        user = services.accept_invitation(token, form.password.data, name=form.name.data)
    except DomainError as error:
        return form_failed("accounts/invitation_accept.html", form, error, **page)
    sign_in(user, remember=False)
    db.session.commit()
    flash(f"Welcome, {user.name}. Your account is ready.", "success")
    return redirect(url_for("web.home"))


# --- password reset --------------------------------------------------------------------


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if not form.validate_on_submit():
        return render_template("accounts/password_forgot.html", form=form), form_status(form)
    try:
        services.request_password_reset(form.email.data, ip=client_ip())
    except DomainError as error:
        return form_failed("accounts/password_forgot.html", form, error)
    db.session.commit()
    flash(RESET_SENT, "info")
    return redirect(url_for("accounts.login"))


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    try:
        services.reset_token_user(token)
    except DomainError as error:
        return link_problem(error)
    form = ResetPasswordForm()
    if not form.validate_on_submit():
        return render_template("accounts/password_reset.html", form=form), form_status(form)
    try:
        user = services.reset_password(token, form.password.data)
    except DomainError as error:
        return form_failed("accounts/password_reset.html", form, error)
    sign_in(user, remember=False)
    db.session.commit()
    flash("Your password has been changed and you are signed in. Other sessions ended.", "success")
    return redirect(url_for("web.home"))


# --- profile ---------------------------------------------------------------------------


def _profile_page(profile_form: ProfileForm, password_form: ChangePasswordForm, status: int):
    return render_template(
        "accounts/profile_edit.html", form=profile_form, password_form=password_form
    ), status


def _profile_form_for(user: User) -> ProfileForm:
    prefs = user.notification_prefs or {}
    return ProfileForm(
        data={
            "name": user.name,
            "email": user.email,
            "timezone": user.timezone,
            "meeting_reminders": prefs.get("meeting_reminders", True),
            "digest": prefs.get("digest", "daily"),
            "trends_digest": trends_digest_chosen(prefs),
        }
    )


@bp.get("/profile")
@login_required
def profile():
    return _profile_page(_profile_form_for(current_user), ChangePasswordForm(prefix="pw"), 200)


@bp.post("/profile")
@login_required
def profile_update():
    form = ProfileForm()
    password_form = ChangePasswordForm(prefix="pw", formdata=None)
    if not form.validate():
        return _profile_page(form, password_form, INVALID_FORM_STATUS)
    fields = {name: form[name].data for name in ("name", "email", "timezone", "digest")}
    try:
        services.update_profile(
            current_user,
            **fields,
            meeting_reminders=form.meeting_reminders.data,
            # Only members get the weekly trends email, so only they see the box.
            trends_digest=form.trends_digest.data if current_user.company_id else None,
            current_password=form.current_password.data,
        )
    except DomainError as error:
        return form_failed("accounts/profile_edit.html", form, error, password_form=password_form)
    db.session.commit()
    flash("Your profile has been saved.", "success")
    return redirect(url_for("accounts.profile"))


@bp.post("/profile/password")
@login_required
def change_password():
    form = ChangePasswordForm(prefix="pw")
    profile_form = _profile_form_for(current_user)
    if not form.validate():
        return _profile_page(profile_form, form, INVALID_FORM_STATUS)
    # The real object, not the proxy: sign_in() signs the proxy's user out before signing in.
    user = current_user._get_current_object()
    try:
        services.change_password(user, form.current_password.data, form.password.data)
    except DomainError as error:
        show_error(form, error)
        return _profile_page(profile_form, form, error.status_code)
    # Keep "remember me" if this browser had it: its old cookie names the old session_version.
    remember = current_app.config.get("REMEMBER_COOKIE_NAME", COOKIE_NAME) in request.cookies
    sign_in(user, remember=remember)
    db.session.commit()
    flash("Your password has been changed. You were signed out everywhere else.", "success")
    return redirect(url_for("accounts.profile"))


# --- API tokens ------------------------------------------------------------------------


def _tokens_page(form: ApiTokenForm, status: int = 200, raw_token: str | None = None):
    tokens = services.list_api_tokens(current_user)
    return render_template(
        "accounts/tokens_list.html", form=form, tokens=tokens, raw_token=raw_token
    ), status


@bp.get("/profile/tokens")
@login_required
def tokens():
    return _tokens_page(ApiTokenForm())


@bp.post("/profile/tokens")
@login_required
def token_create():
    form = ApiTokenForm()
    if not form.validate():
        return _tokens_page(form, INVALID_FORM_STATUS)
    try:
        _token, raw = services.create_api_token(current_user, form.name.data)
    except DomainError as error:
        show_error(form, error)
        return _tokens_page(form, error.status_code)
    db.session.commit()
    # Shown in this response only: it is not stored anywhere we could show it from again.
    return _tokens_page(ApiTokenForm(formdata=None), raw_token=raw)


@bp.post("/profile/tokens/<public_id>/revoke")
@login_required
def token_revoke(public_id: str):
    services.revoke_api_token(current_user, public_id)
    db.session.commit()
    flash("The token has been revoked; programs using it can no longer sign in.", "success")
    return redirect(url_for("accounts.tokens"))
