"""Diagnostics: calls that work here but are fragile or different in production, as warnings.

Rules:
- a warning never changes what a call does: the value, the error, the events stay the real
  ones; the warning only travels beside them (acknowledgement, journal, the widget's console);
- each warning has a stable `code` (one cause) and a message that says what the real host does
  and what to write instead, with a "did you mean" where a close name exists;
- the checks here are pure and look only at what they are given; engine handlers call them and
  add what they find to the call context (`CallContext.warn`); api/diagnostics.py checks the raw
  arguments at the edge;
- under `--strict` every warning becomes a rejection (`strict_rejection`), for CI.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cifbridge.engine.base.errors import InvalidInput
from cifbridge.engine.base.slugs import is_slug_name
from cifbridge.engine.config.names import did_you_mean

_SLUG = re.compile(r"\{([^{}]+)\}")


@dataclass(frozen=True)
class Diagnostic:
    """One warning: a stable code for its cause and a message saying what to do."""

    code: str
    message: str

    def to_json(self) -> dict[str, str]:
        """Return the {code, message} form the wire and the journal carry."""
        return {"code": self.code, "message": self.message}


def unknown_template(api: str, kind: str, name: str, known: Iterable[str]) -> Diagnostic | None:
    """Warn of a template name nothing is configured as, when a close name is configured.

    With no close name the rejection says all there is to say.
    """
    hint = did_you_mean(name, known)
    if not hint:
        return None
    return Diagnostic(
        "unknown-template",
        f"{api}: no {kind} is configured as {name!r}{hint}; template names are unique names,"
        " compared exactly",
    )


def unknown_event(name: str, built_in: Iterable[str]) -> Diagnostic | None:
    """Warn of an addHandler name that is close to a built-in event but is not one.

    A name close to none is a custom event (raiseEvent), which is legitimate.
    """
    known = sorted(built_in)
    if name in known:
        return None
    hint = did_you_mean(name, known)
    if not hint:
        return None
    return Diagnostic(
        "unknown-event",
        f"addHandler: {name!r} is not an event the host sends{hint}; the handler would only"
        " hear a custom event raised with that exact name",
    )


def presence_case(text: str, texts: Sequence[str]) -> Diagnostic | None:
    """Warn when a presence text differs from a configured one only by case."""
    same = [t for t in texts if t != text and t.lower() == text.lower()]
    if not same:
        return None
    return Diagnostic(
        "presence-case",
        f"setPresence: {text!r} differs only by case from the configured presence {same[0]!r};"
        " the real setPresence compares exactly and resolves false",
    )


def ignored_runtime_parameters(
    template: str, parameters: Mapping[str, Any], given: Iterable[str]
) -> list[Diagnostic]:
    """Warn of runtime values for parameters the template does not take at run time.

    `parameters` maps a parameter name to (is_runtime, configured value); the host uses a
    runtime value only for a parameter marked isRuntime without a configured value.
    """
    warnings = []
    for name in given:
        spec = parameters.get(name)
        if spec is None:
            continue  # not a parameter of this template: a slug value, which is fine
        is_runtime, configured = spec
        if is_runtime and configured in ("", None):
            continue
        why = "has a configured value" if is_runtime else "is not marked isRuntime"
        warnings.append(
            Diagnostic(
                "runtime-parameter-ignored",
                f"templateParameters.{name} is ignored: parameter {name} of the application tab"
                f" template {template} {why}, so the configured value is used; mark it"
                " isRuntime with an empty value in the template, or pass it as a slug",
            )
        )
    return warnings


def unfilled_slugs(where: str, text: str, bags: Sequence[Mapping[str, Any]]) -> list[Diagnostic]:
    """Warn of `{slug}`s in a title that no parameter filled (they become empty text)."""
    missing = []
    for match in _SLUG.finditer(text):
        name = match.group(1)
        if not is_slug_name(name) or name.startswith("$odata."):
            continue
        lookup = name.removeprefix("ChannelProvider.")
        if not any(bag.get(lookup) not in (None, "") for bag in bags):
            missing.append(name)
    return [
        Diagnostic(
            "unfilled-slug",
            f"{where}: the slug {{{name}}} was filled by no parameter and shows as empty text;"
            f" pass {name} in templateParameters",
        )
        for name in dict.fromkeys(missing)
    ]


def strict_rejection(api: str, warnings: Sequence[Diagnostic]) -> InvalidInput:
    """Return the rejection --strict turns a call's first warning into."""
    first = warnings[0]
    error = InvalidInput(f"cifbridge --strict refused {api}: [{first.code}] {first.message}")
    error.warnings = tuple(warnings)
    return error
