"""Cross-entry checks of a user's configuration file, before and after it is merged (pure).

Each finding names the JSON path of the entry in the user's file, what is wrong and how to fix
it. Errors stop the load (nothing is served from a configuration that would misbehave
silently); warnings are printed at serve start and kept for the diagnostics.

Rules:
- within one file, a list's `uniqueName`s are unique (the later one would silently win);
- landing URLs are absolute http(s) URLs or paths on the bridge (names.py);
- trusted domains written as URLs are read as their host, with a warning (names.py);
- unusual unique names get a warning, never a refusal (names.py);
- every application tab template a session template names exists in the effective
  configuration, with a "did you mean" when a close name does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cifbridge.engine.config.names import (
    did_you_mean,
    domain_warning,
    landing_url_problem,
    unique_name_warning,
)

ERROR, WARNING = "error", "warning"
NAMED_LISTS = ("providers", "sessionTemplates", "applicationTabTemplates", "notificationTemplates")


@dataclass(frozen=True)
class Finding:
    """One problem in a configuration file: where (JSON path), what, and how to fix it."""

    level: str
    path: str
    problem: str
    fix: str

    def text(self, where: str) -> str:
        """Render the finding for a person, with the file it is in."""
        return f"{where}: {self.path}: {self.problem}; {self.fix}"


def list_entries(data: Mapping[str, Any], key: str) -> tuple[str, Sequence[Any]]:
    """Return a list section's form (`list`, `extend` or `replace`) and its JSON path's base."""
    value = data.get(key, [])
    if isinstance(value, Mapping):
        form = "replace" if "replace" in value else "extend"
        return f"$.{key}.{form}", list(value.get(form) or [])
    return f"$.{key}", list(value or [])


def file_findings(user: Mapping[str, Any]) -> list[Finding]:
    """Check one user file on its own: duplicates, names, domains, landing URLs."""
    findings: list[Finding] = []
    for key in NAMED_LISTS:
        base, entries = list_entries(user, key)
        findings.extend(_duplicates(base, entries))
        for index, entry in enumerate(entries):
            unusual = unique_name_warning(str(entry.get("uniqueName", "")))
            if unusual:
                fix = "it is accepted as it is; check it against the name in your org"
                findings.append(Finding(WARNING, f"{base}[{index}].uniqueName", unusual, fix))
    base, providers = list_entries(user, "providers")
    for index, provider in enumerate(providers):
        findings.extend(_provider_findings(f"{base}[{index}]", provider))
    return findings


def _duplicates(base: str, entries: Sequence[Mapping[str, Any]]) -> list[Finding]:
    first: dict[str, int] = {}
    found = []
    for index, entry in enumerate(entries):
        name = entry.get("uniqueName")
        if name in first:
            found.append(
                Finding(
                    ERROR,
                    f"{base}[{index}].uniqueName",
                    f"{name!r} is also the uniqueName of {base}[{first[name]}]",
                    "give each entry its own uniqueName, or merge the two entries into one",
                )
            )
        elif isinstance(name, str):
            first[name] = index
    return found


def _provider_findings(path: str, provider: Mapping[str, Any]) -> list[Finding]:
    found = []
    landing = provider.get("landingUrl", "")
    problem = landing_url_problem(landing)
    if problem:
        fix = (
            f"write it with its scheme, e.g. http://{landing.lstrip('/')}, or as a path on the"
            " bridge starting with /"
        )
        found.append(Finding(ERROR, f"{path}.landingUrl", problem, fix))
    for index, domain in enumerate(provider.get("trustedDomains", [])):
        read = domain_warning(domain)
        if read:
            fix = "write the host name alone (*.example.com for its subdomains)"
            found.append(Finding(WARNING, f"{path}.trustedDomains[{index}]", read, fix))
    return found


def reference_findings(user: Mapping[str, Any], merged: Mapping[str, Any]) -> list[Finding]:
    """Check what the user's session templates name against the effective configuration."""
    tabs = [t["uniqueName"] for t in merged.get("applicationTabTemplates", [])]
    base, templates = list_entries(user, "sessionTemplates")
    found = []
    for index, template in enumerate(templates):
        additional = enumerate(template.get("additionalTabs", []))
        wanted = [("anchorTab", template.get("anchorTab"))]
        wanted += [(f"additionalTabs[{i}]", name) for i, name in additional]
        for where, name in wanted:
            if name is not None and name not in tabs:
                found.append(
                    Finding(
                        ERROR,
                        f"{base}[{index}].{where}",
                        f"session template {template.get('uniqueName')} names application tab"
                        f" template {name}, which is not configured{did_you_mean(name, tabs)}",
                        "add an applicationTabTemplates entry with that uniqueName, or name one"
                        " that exists",
                    )
                )
    return found
