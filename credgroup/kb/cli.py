from flask.cli import AppGroup

kb_cli = AppGroup("kb", help="The knowledge base of workarounds.")
