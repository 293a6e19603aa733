"""Klantregie in the API, one module per resource (config/urls.py registers them)."""
