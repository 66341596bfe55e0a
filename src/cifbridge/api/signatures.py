"""Turn the positional arguments a widget passed into the named arguments the engine takes.

JavaScript `undefined` arrives as JSON null and counts as absent; extra arguments are ignored,
as the real library ignores them. Where docs and library
disagree on a signature (reference §8), both forms are accepted here, in one place.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from cifbridge.api.catalog import APIS

Named = dict[str, Any]


def normalize(api: str, args: Sequence[Any]) -> Named:
    """Name the arguments of one call, applying the accepted signature variants."""
    spec = APIS[api]
    named = {
        name: value for name, value in zip(spec.params, args, strict=False) if value is not None
    }
    variant = _VARIANTS.get(api)
    return variant(named) if variant else named


def _request_focus_session(named: Named) -> Named:
    # Docs: (sessionId, correlationId); library: (sessionId, messagesCount, correlationId).
    # A string in the count slot with nothing after it is the docs' correlationId.
    count = named.get("messagesCount")
    if isinstance(count, str) and "correlationId" not in named:
        named["correlationId"] = named.pop("messagesCount")
    return named


def _notify_event(named: Named) -> Named:
    # Current docs pass cancellationToken third; the docs' example puts it inside input.
    request = named.get("input")
    if isinstance(request, dict) and "cancellationToken" not in named:
        token = request.get("cancellationToken")
        if token is not None:
            named["cancellationToken"] = token
    return named


_VARIANTS: dict[str, Callable[[Named], Named]] = {
    "requestFocusSession": _request_focus_session,
    "notifyEvent": _notify_event,
}
