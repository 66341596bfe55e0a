"""The rules for names partners copy from their org: unique names, trusted domains, landing URLs.

Rules:
- a unique name is accepted as the real host accepts it: `<prefix>_<name>` with a publisher
  prefix of any length (`cb_nice_sessao`, `kb_default_session`, `msdyn_chat_session`) and names
  without a prefix (`Bing`, as the docs' tab template example) alike; only text with white
  space is refused (by the schema). A name that merely looks unusual (characters other than
  letters, digits and `_`, a leading digit, a publisher prefix outside Dataverse's 2 to 8
  characters) gets a warning, never a refusal;
- a trusted domain is a host name; one written as a URL (`http://localhost:5173`) is read as
  its host, as the real origin check compares host names only (reference §6.3), with a warning;
- a landing URL is absolute (http or https) or a path on the bridge (`/samples/x.html`); one
  without a scheme (`localhost:5173/widget.html`) would load nothing in the workspace frame.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

_DATAVERSE_NAME = re.compile(r"[A-Za-z0-9_]+")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """Return ' (did you mean X?)' for the closest known name, or ''."""
    candidates = list(known)
    same_case = [k for k in candidates if k.lower() == name.lower()]
    close = same_case or difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
    return f" (did you mean {close[0]}?)" if close else ""


def unique_name_warning(name: str) -> str | None:
    """Say why a unique name looks unusual for Dataverse, or None when it looks like one."""
    if not _DATAVERSE_NAME.fullmatch(name):
        odd = "".join(sorted({c for c in name if not (c.isalnum() or c == "_")}))
        return f"unique name {name!r} has characters Dataverse unique names do not use: {odd!r}"
    if not name[0].isalpha():
        return f"unique name {name!r} does not start with a letter, as Dataverse names do"
    prefix, sep, rest = name.partition("_")
    if sep and rest and not 2 <= len(prefix) <= 8:
        return (
            f"unique name {name!r} has the publisher prefix {prefix!r}; Dataverse publisher"
            " prefixes have 2 to 8 characters"
        )
    return None


def domain_host(domain: str) -> str:
    """Return the host name a trusted domain entry means (a URL is read as its host)."""
    text = domain.strip()
    if _SCHEME.match(text):
        return (urlsplit(text).hostname or text).lower()
    if "/" in text or (":" in text and not text.startswith("[")):
        host = urlsplit(f"//{text}").hostname
        return (host or text).lower()
    return text.lower()


def domain_warning(domain: str) -> str | None:
    """Say how a trusted domain written as more than a host name is read, or None."""
    host = domain_host(domain)
    if host == domain.strip().lower():
        return None
    return (
        f"trusted domain {domain!r} is read as the host name {host!r}: the origin check"
        " compares host names only, ports and paths are ignored"
    )


def landing_url_problem(url: str) -> str | None:
    """Say why a landing URL would load nothing, or None."""
    if url.startswith("/") and not url.startswith("//"):
        return None
    if _SCHEME.match(url):
        scheme = url.split("://", 1)[0].lower()
        if scheme in ("http", "https") and urlsplit(url).hostname:
            return None
        return f"landing URL {url!r} is not an http(s) URL with a host"
    return f"landing URL {url!r} has no scheme, so the workspace frame would load nothing"
