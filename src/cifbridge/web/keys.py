"""Typed keys for everything the application holds; no module-level singletons."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from cifbridge.api.validation import SchemaSet
from cifbridge.settings import Settings
from cifbridge.web.access import AccessPolicy
from cifbridge.web.agents import Agents
from cifbridge.web.routing import Router

SETTINGS = web.AppKey("settings", Settings)
AGENTS = web.AppKey("agents", Agents)
ROUTER = web.AppKey("router", Router)
SCHEMAS = web.AppKey("schemas", SchemaSet)
SIO = web.AppKey("sio", Any)
SHIM = web.AppKey("shim", bytes)
ACCESS = web.AppKey("access", AccessPolicy)
# The warnings loading the configuration drew (printed at serve start), for the diagnostics.
CONFIG_WARNINGS = web.AppKey("config_warnings", tuple)
