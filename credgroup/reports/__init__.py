"""Anonymised reports of portal problems: post, confirm, discuss, follow up."""
