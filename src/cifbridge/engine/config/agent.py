"""The org, the signed-in agent and the agent's presences, as configured (`organization`, `agent`,
`presences` in the workspace configuration).

Every field has a default, so a configuration may give only what it wants to change; the
defaults here are the ones `defaults/workspace.yaml` spells out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cifbridge.engine.config.entities import derived_guid

DEFAULT_INITIAL_PRESENCE = "Available"
# The colour a presence gets when its entry gives none: the bundled presences' colours.
STATUS_COLORS = {
    "AVAILABLE": "#8DE429",
    "BUSY": "#FF0000",
    "BUSY_DND": "#D93B3B",
    "AWAY": "#FDC12F",
    "OFFLINE": "#8A8886",
}


@dataclass(frozen=True)
class Organization:
    """What getEnvironment tells about the org, the app and the signed-in agent."""

    url: str = "https://contoso.crm.dynamics.com"
    unique_name: str = "contoso"
    org_id: str = "7b3e9f0c-2a41-4d6e-9c58-1f2a3b4c5d6e"
    lcid: int = 1033
    geo: str = "NAM"
    crm_version: str = "9.2.25044.00173"
    app_id: str = "5f4e3d2c-1b0a-4987-8a6b-5c4d3e2f1a0b"
    user_id: str = "a1b2c3d4-e5f6-4a5b-8c7d-9e0f1a2b3c4d"
    username: str = "Alex Wu"
    user_lcid: int = 1033
    user_roles: tuple[str, ...] = ("9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b",)


@dataclass(frozen=True)
class Presence:
    """One presence the agent can be in (`msdyn_presence`)."""

    presence_id: str
    text: str
    color: str
    base_status: str

    def info(self) -> dict[str, str]:
        """Return the presenceInfo object widgets receive."""
        return {
            "basePresenceStatus": self.base_status,
            "presenceColor": self.color,
            "presenceId": self.presence_id,
            "presenceText": self.text,
        }


def organization_from_dict(org: Mapping[str, Any], agent: Mapping[str, Any]) -> Organization:
    """Build the org and agent details from the `organization` and `agent` sections."""
    base = Organization()
    return Organization(
        url=str(org.get("url", base.url)).rstrip("/"),
        unique_name=org.get("uniqueName", base.unique_name),
        org_id=org.get("orgId", base.org_id),
        lcid=int(org.get("lcid", base.lcid)),
        geo=org.get("geo", base.geo),
        crm_version=org.get("crmVersion", base.crm_version),
        app_id=org.get("appId", base.app_id),
        user_id=agent.get("userId", base.user_id),
        username=agent.get("username", base.username),
        user_lcid=int(agent.get("lcid", base.user_lcid)),
        user_roles=tuple(agent.get("securityRoles", base.user_roles)),
    )


def presences_from_list(presences: Sequence[Mapping[str, Any]]) -> tuple[Presence, ...]:
    """Build the presence list from the `presences` section; id and colour may be left out."""
    return tuple(
        Presence(
            presence_id=p.get("presenceId") or derived_guid("presence", p["presenceText"]),
            text=p["presenceText"],
            color=p.get("presenceColor") or STATUS_COLORS[p["basePresenceStatus"]],
            base_status=p["basePresenceStatus"],
        )
        for p in presences
    )
