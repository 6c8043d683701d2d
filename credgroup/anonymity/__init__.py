"""Anonymity by construction, shared by every feature that stores member contributions.

Contribution tables never hold a foreign key to a user or a member company. They hold keyed
pseudonyms (HMAC-SHA256 under ``PSEUDONYM_KEY``, which lives in configuration, never in the
database), scoped to a group, so a database dump alone does not say who wrote what, while
"my reports" and "distinct companies behind a figure" still work by recomputing the HMAC.
"""
