from flask import Blueprint

bp = Blueprint("kb", __name__)
