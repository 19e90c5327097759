"""Benchmark helpers for the `bench_*` management commands (`make bench`).

Kept out of the apps: nothing here runs on the site.
"""
