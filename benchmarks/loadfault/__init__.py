"""The pieces of ``benchmarks/load_fault.py``: a private PostgreSQL cluster, the site's
processes (gunicorn, the worker, an SMTP sink), member clients, and the checks."""
