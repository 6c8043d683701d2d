"""Pieces of benchmarks/pages_bench.py: the bare app, what each client visits, the load."""
