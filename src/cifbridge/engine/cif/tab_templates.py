"""Application tabs: creation from templates with parameter and title resolution."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from cifbridge.engine.base import slugs
from cifbridge.engine.base.context import CallContext
from cifbridge.engine.base.errors import TemplateNotFound
from cifbridge.engine.base.state import Session, Tab
from cifbridge.engine.base.texts import template_not_found
from cifbridge.engine.config.workspace import TabTemplate
from cifbridge.engine.dataverse import odata, records


def resolve_tab_parameters(
    template: TabTemplate,
    session: Session,
    runtime: Mapping[str, Any],
    ctx: CallContext | None = None,
) -> dict[str, Any]:
    """Resolve each configured parameter the way the 2020 host does (reference §4.4).

    A runtime value is used only for a parameter marked runtime that has no configured value;
    everything else keeps its configured value, with slugs resolved from the runtime bags.
    """
    own = {**session.tab_parameters.get(template.unique_name, {}), **runtime}
    bags = tab_bags(own, session, ctx)
    resolved: dict[str, Any] = {}
    resolver = odata.slug_resolver(ctx)
    for name, spec in template.parameters.items():
        raw = spec.value
        if spec.is_runtime and raw in ("", None):
            raw = own.get(name, session.parameters.get(name, raw))
        resolved[name] = slugs.convert(raw, spec.type, bags, resolver)
    return resolved


def tab_bags(
    own: Mapping[str, Any], session: Session, ctx: CallContext | None = None
) -> list[Mapping[str, Any]]:
    """Return the slug bags for a tab: its own values, then the session's, then the anchor's."""
    return [own, session.parameters, anchor_bag(session, ctx)]


def anchor_bag(session: Session, ctx: CallContext | None = None) -> Mapping[str, Any]:
    """Expose the anchor tab's parameters, and its record's attributes, as `anchor.<name>`."""
    return AnchorBag(session, ctx)


class AnchorBag(Mapping[str, Any]):
    """The `anchor.<name>` slug values, looked up only when a slug reaches this bag.

    Most slugs are found in the bags before it (the tab's and the session's own values);
    reading the anchor's record for every tab opened was a tenth of a createSession.
    """

    def __init__(self, session: Session, ctx: CallContext | None) -> None:
        self._session = session
        self._ctx = ctx
        self._values: dict[str, Any] | None = None

    def _found(self) -> dict[str, Any]:
        if self._values is None:
            anchor = next((t for t in self._session.tabs if t.anchor), None)
            if anchor is None:
                self._values = {}
            else:
                ctx = self._ctx
                record = records.anchor_record(ctx, anchor.parameters) if ctx else {}
                merged = {**record, **anchor.parameters}
                self._values = {f"anchor.{k}": v for k, v in merged.items()}
        return self._values

    def __getitem__(self, name: str) -> Any:
        return self._found()[name]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.startswith("anchor.") and name in self._found()

    def __iter__(self) -> Iterator[str]:
        return iter(self._found())

    def __len__(self) -> int:
        return len(self._found())


def tab_title(
    template: TabTemplate,
    session: Session,
    own: Mapping[str, Any],
    first: Mapping[str, Any] | None = None,
    ctx: CallContext | None = None,
) -> str:
    """Resolve a tab template's title; `first` holds slug values that win over the tab's own."""
    bags = tab_bags(own, session, ctx)
    bags = [first, *bags] if first else bags
    return slugs.resolve(template.title, bags, odata.slug_resolver(ctx)) or template.name


def open_tab(
    ctx: CallContext,
    session: Session,
    template_name: str,
    runtime: Mapping[str, Any],
    *,
    anchor: bool = False,
    focus: bool = False,
) -> Tab:
    """Create a tab from a template in `session`, optionally focusing it."""
    template = ctx.config.tab_templates.get(template_name)
    if template is None:
        raise TemplateNotFound(template_not_found(template_name))
    parameters = resolve_tab_parameters(template, session, runtime, ctx)
    own = {**session.tab_parameters.get(template_name, {}), **runtime, **parameters}
    title = tab_title(template, session, own, ctx=ctx)
    tab = Tab(
        id=f"tab-id-{ctx.workspace.next_tab}",
        template=template_name,
        title=title,
        page_type=template.page_type,
        parameters=parameters,
        anchor=anchor,
        closable=template.can_close and not anchor,
        runtime=dict(runtime),
    )
    ctx.workspace.next_tab += 1
    session.tabs.append(tab)
    if focus or session.focused_tab is None:
        session.focused_tab = tab.id
    ctx.changed()
    return tab
