"""Accounts: sign-in, invitations, password reset, profile, API tokens, throttling."""

from flask import Flask

from credgroup.extensions import login_manager


def init_app(app: Flask) -> None:
    from credgroup.accounts import cli, views
    from credgroup.accounts.services import load_user_from_session_id

    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Please sign in to see that page."
    login_manager.login_message_category = "info"
    # "strong" would drop the session when a laptop changes network; the session_version
    # in the user id already lets us revoke sessions.
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_user_from_session_id)
    app.register_blueprint(views.bp)
    app.cli.add_command(cli.users_cli)
