"""Pure reads of the CIF state: what both the CIF features and the views ask.

Rules:
- every function reads plain data (the workspace, the configuration) and changes nothing;
  none takes a CallContext, so read models call them as they are;
- this module imports only engine.base and engine.config (views/__init__.py says why).
"""

from __future__ import annotations

from typing import Any

from cifbridge.engine.base.state import Notification, Workspace
from cifbridge.engine.config.workspace import WorkspaceConfig

# The keys of Workspace.overlays (cif/overlays.py): what widgets lay over the workspace.
DIALOGS, BARS, PROGRESS, NOTES = "dialogs", "messageBars", "progress", "notes"


def active_provider(workspace: Workspace, config: WorkspaceConfig) -> str | None:
    """Return the provider whose widget the panel shows: the focused session's, else the default."""
    focused = workspace.sessions[workspace.focused]
    if focused.provider is not None:
        return focused.provider
    return config.providers[0].unique_name if config.providers else None


def click_to_act_enabled(workspace: Workspace, config: WorkspaceConfig, provider: str) -> bool:
    """Return a provider's click-to-act flag: set by setClickToAct, else configured."""
    if provider in workspace.click_to_act:
        return workspace.click_to_act[provider]
    configured = config.provider(provider)
    return configured is not None and configured.click_to_act


def presence_list(workspace: Workspace, config: WorkspaceConfig) -> list[dict[str, Any]]:
    """Return the presences the agent can choose from, as presenceInfo objects."""
    if workspace.presence_list is not None:
        return workspace.presence_list
    return [p.info() for p in config.presences]


def current_presence(workspace: Workspace, config: WorkspaceConfig) -> dict[str, Any] | None:
    """Return the presence in effect, as a presenceInfo object (None: no presence at all)."""
    if workspace.presence is not None:
        return workspace.presence
    wanted = config.initial_presence
    return next((p.info() for p in config.presences if p.text == wanted), None)


def displayed(workspace: Workspace) -> Notification | None:
    """Return the notification the agent sees now, if any."""
    return next((n for n in workspace.notifications if n.shown_at is not None), None)


def queued(workspace: Workspace) -> list[Notification]:
    """Return the notifications waiting behind the displayed one, oldest first."""
    return [n for n in workspace.notifications if n.shown_at is None]


def listed(workspace: Workspace, key: str) -> list[dict[str, Any]]:
    """Return the overlays kept under `key` (DIALOGS, BARS), oldest first, creating nothing."""
    found: list[dict[str, Any]] = workspace.overlays.get(key) or []
    return found
