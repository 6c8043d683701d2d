from flask.cli import AppGroup

users_cli = AppGroup("users", help="Manage people.")
