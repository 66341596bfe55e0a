"""What `cifbridge serve` prints once it answers: what runs, where, and what to paste.

    cifbridge 0.1.0 is serving on http://127.0.0.1:8765
      configuration:   the bundled defaults + /srv/ana/workspace.yaml
      store:           sqlite /srv/ana/.cifbridge/workspace.sqlite3, 2 sessions resumed (...)
      agent workspace: http://127.0.0.1:8765/
      sample widget:   http://127.0.0.1:8765/samples/softphone.html
      paste into your widget page (data-provider names the provider it speaks for):
        <script src="http://127.0.0.1:8765/webresources/Widget/msdyn_ciLibrary.js" ...
    ready at http://127.0.0.1:8765 (Ctrl+C to stop)

The last line is the ready line: a supervising process may wait for `ready at URL` (or for
the --ready-file) instead of polling.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cifbridge import __version__
from cifbridge.settings import Settings


@dataclass(frozen=True)
class BridgeFacts:
    """What the started bridge found: its providers and the workspace it resumed."""

    providers: Sequence[str] = ()
    resumed: bool = False
    sessions: int = 0
    config_files: Sequence[Path] = field(default_factory=tuple)
    other_agents: Sequence[str] = ()  # the other agents the store's workspaces resumed


def banner(settings: Settings, facts: BridgeFacts | None = None) -> str:
    """Say where the workspace is, what it runs on, and what to paste into a widget."""
    facts = facts or BridgeFacts()
    url = settings.public_url
    lines = [
        f"cifbridge {__version__} is serving on {url}",
        f"  configuration:   {_configuration(settings, facts)}",
        f"  store:           {_store(settings, facts)}",
        f"  agent workspace: {url}/{f'?token={settings.token}' if settings.token else ''}",
        f"  sample widget:   {url}/samples/softphone.html",
        *_script_tags(url, facts.providers),
        f"ready at {url} (Ctrl+C to stop)",
    ]
    return "\n".join(lines)


def script_tag(url: str, provider: str | None = None) -> str:
    """Return the tag that loads the CIF library from the bridge at `url`, as `provider`."""
    named = f' data-provider="{provider}"' if provider else ""
    return (
        f'<script src="{url}/webresources/Widget/msdyn_ciLibrary.js"'
        f' data-crmurl="{url}" data-cifid="CIFMainLibrary"{named}></script>'
    )


def _configuration(settings: Settings, facts: BridgeFacts) -> str:
    files = list(facts.config_files) or ([settings.config_path] if settings.config_path else [])
    return " + ".join(["the bundled defaults", *(str(Path(f).resolve()) for f in files)])


def _store(settings: Settings, facts: BridgeFacts) -> str:
    if settings.store == "memory":
        return "memory (nothing is kept when the bridge stops)"
    where = (
        f"sqlite {settings.state_path.resolve()}"
        if settings.store == "sqlite"
        else f"redis {settings.redis_url} (key {settings.redis_key})"
    )
    if settings.reset:
        return f"{where}, started fresh (--reset)"
    others = _other_agents(facts.other_agents)
    if not facts.resumed:
        return f"{where}, a new workspace{others}"
    count = "1 session" if facts.sessions == 1 else f"{facts.sessions} sessions"
    return f"{where}, {count} resumed{others} (--reset starts fresh)"


def _other_agents(names: Sequence[str], shown: int = 3) -> str:
    # The default agent's sessions are counted above; the others are named, a few of them.
    if not names:
        return ""
    listed = ", ".join(names[:shown]) + (", ..." if len(names) > shown else "")
    return f", and {len(names)} other agent{'s' if len(names) > 1 else ''} ({listed})"


def _script_tags(url: str, providers: Sequence[str]) -> list[str]:
    if len(providers) <= 1:
        return ["  paste into your widget page:", f"    {script_tag(url)}"]
    lines = ["  paste into your widget page (data-provider names the provider it speaks for):"]
    return lines + [f"    {script_tag(url, provider)}" for provider in providers]
