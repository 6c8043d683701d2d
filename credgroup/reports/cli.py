from flask.cli import AppGroup

reports_cli = AppGroup("reports", help="Reports of portal problems.")
