"""Which provider a widget connection belongs to, and whether its origin is trusted.

Like the real host (reference §6.3): host names only, ports ignored, `*.example.com` matches
subdomains; the provider's landing URL host is always trusted.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit

from cifbridge.engine.config.workspace import Provider


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


def match_provider(href: str, providers: Sequence[Provider]) -> Provider | None:
    """Return the provider whose landing URL is the longest prefix of the page URL."""
    page = urlsplit(href)
    best: tuple[int, Provider] | None = None
    for provider in providers:
        landing = urlsplit(provider.landing_url)
        same_site = not landing.netloc or landing.netloc == page.netloc
        if same_site and page.path.startswith(landing.path or "/"):
            score = len(landing.path) + (1000 if landing.netloc else 0)
            if best is None or score > best[0]:
                best = (score, provider)
    return best[1] if best else None
