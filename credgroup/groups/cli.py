from flask.cli import AppGroup

groups_cli = AppGroup("groups", help="Manage credit groups.")
companies_cli = AppGroup("companies", help="Manage member companies.")
