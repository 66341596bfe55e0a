"""Which provider a widget connection belongs to, and whether its origin is trusted.

Like the real host (reference §6.3): host names only, ports ignored, `*.example.com` matches
subdomains; the provider's landing URL host is always trusted. Attribution (`attribute`) is
pure: the namespace logs, journals and tells the widget what it decided.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from cifbridge.engine.config.workspace import Provider

LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1"})


def hostname_of(url: str) -> str | None:
    """Return the lower-case host name of an absolute URL, or None."""
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    return host.lower() if host else None


def _normalize(domain: str) -> str:
    return domain.strip().lower().strip("[]")


def is_trusted(host: str | None, domains: Iterable[str]) -> bool:
    """Tell whether `host` matches one of the trusted domains."""
    if not host:
        return False
    host = _normalize(host)
    for domain in map(_normalize, domains):
        if domain.startswith("*."):
            if host.endswith(domain[1:]):
                return True
        elif host == domain:
            return True
    return False


def trusted_domains(provider: Provider, bridge_host: str | None) -> list[str]:
    """Return every host the provider's widget may call from."""
    domains = list(provider.trusted_domains)
    landing_host = hostname_of(provider.landing_url)
    if landing_host:
        domains.append(landing_host)
    elif bridge_host:  # a landing path on the bridge itself
        domains.append(bridge_host)
    return domains


def untrusted_advice(host: str | None, provider: str, domains: Sequence[str]) -> str:
    """Say which trusted domain to add, for which provider, so a refused page is let in."""
    if not host:
        return (
            f"the page has no origin (a file: URL or about:blank), which {provider} cannot"
            " trust: serve the page over http(s) from a host in its trustedDomains"
        )
    listed = ", ".join(domains) or "none"
    return (
        f"add {host} to trustedDomains of provider {provider} in the workspace configuration"
        f" (host names, ports ignored; trusted now: {listed})"
    )


class UnknownProvider(ValueError):
    """The page named a provider (data-provider) that is not configured."""


@dataclass(frozen=True)
class Attribution:
    """Which provider a widget page speaks for, by which rule, and what to set when it guessed."""

    provider: Provider
    rule: str  # data-provider, workspace, landing-url, only-provider, first-provider
    reason: str  # the rule in words, for the log and the journal
    advice: str | None = None  # set only when the rule was a guess


def attribute(
    wanted: str | None,
    href: str,
    providers: Sequence[Provider],
    bridge_netloc: str = "",
    *,
    from_workspace: bool = False,
) -> Attribution:
    """Attribute a widget page to a provider by the documented rules, in order.

    1. `data-provider` on the script tag (or the workspace frame's name) names it;
    2. the provider whose landing URL the page is under, by host and path (the port is
       ignored on loopback, where a dev server's port changes); the longest match wins;
    3. the only provider, when exactly one is configured;
    4. otherwise the first provider, as a guess the caller must not keep silent (`advice`).
    Raises UnknownProvider when the named provider is not configured.
    """
    if wanted:
        named = next((p for p in providers if p.unique_name == wanted), None)
        if named is None:
            raise UnknownProvider(f"cifbridge: no channel provider is configured as {wanted!r}")
        if from_workspace:
            return Attribution(named, "workspace", "the workspace frame of this provider")
        return Attribution(named, "data-provider", "data-provider")
    matched = match_provider(href, providers, bridge_netloc)
    if matched is not None:
        return Attribution(matched, "landing-url", "its page is under the landing URL")
    if len(providers) == 1:
        reason = "the only provider: no data-provider, no landing URL match"
        return Attribution(providers[0], "only-provider", reason)
    first = providers[0]
    names = " or ".join(f'data-provider="{p.unique_name}"' for p in providers)
    page = _without_query(href) or "the page's URL"
    advice = (
        f"this widget page ({href or 'no URL'}) has no data-provider and is under no provider's"
        f" landingUrl, so cifbridge guessed {first.unique_name}, the first of"
        f" {len(providers)} providers; put {names} on its script tag, or make {page} the"
        " landingUrl of its provider"
    )
    reason = (
        f"a guess, the first of {len(providers)} providers: no data-provider, no landing URL match"
    )
    return Attribution(first, "first-provider", reason, advice)


def match_provider(
    href: str, providers: Sequence[Provider], bridge_netloc: str = ""
) -> Provider | None:
    """Return the provider whose landing URL the page is under; the longest one wins.

    Hosts compare by name; ports must agree except on loopback. A path-only landing URL
    (/samples/softphone.html) is on the bridge, so it matches pages the bridge serves.
    """
    page = urlsplit(href)
    best: tuple[int, Provider] | None = None
    for provider in providers:
        landing = urlsplit(provider.landing_url)
        site = landing.netloc or bridge_netloc
        if site and not _same_site(site, page.netloc):
            continue
        if _under(page.path or "/", landing.path or "/"):
            score = len(landing.path) + (1000 if landing.netloc else 0)
            if best is None or score > best[0]:
                best = (score, provider)
    return best[1] if best else None


def _same_site(expected: str, actual: str) -> bool:
    want, got = urlsplit(f"//{expected}"), urlsplit(f"//{actual}")
    try:
        want_port, got_port = want.port, got.port
    except ValueError:
        return False
    want_host, got_host = (want.hostname or "").lower(), (got.hostname or "").lower()
    if want_host in LOOPBACK and got_host in LOOPBACK:
        return True  # a dev server's port changes; the real origin check ignores ports
    return want_host == got_host and want_port == got_port


def _under(page_path: str, landing_path: str) -> bool:
    if page_path == landing_path or landing_path.endswith("/"):
        return page_path.startswith(landing_path)
    return page_path.startswith(landing_path + "/")


def _without_query(href: str) -> str:
    parts = urlsplit(href)
    return f"{parts.scheme}://{parts.netloc}{parts.path}" if parts.scheme and parts.netloc else ""
