"""Locating and loading package data and users' YAML/JSON files."""
