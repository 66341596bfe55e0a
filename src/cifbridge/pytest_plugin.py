"""pytest plugin (registered as an entry point): fixtures for partner widgets' CI suites.

Filled in with the Python client; for now it only makes the plugin importable.
"""
