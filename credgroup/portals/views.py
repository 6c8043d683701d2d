from flask import Blueprint

bp = Blueprint("portals", __name__)
