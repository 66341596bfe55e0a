"""Shared base: the call context, plain-data state, the one error tree, the host's texts, slugs."""
