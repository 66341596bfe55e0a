"""Configuration zone: the workspace configuration as typed, immutable data.

It imports nothing else of the engine.
"""
