"""Slug resolution rules of reference §4.4."""

from __future__ import annotations

from cifbridge.engine.base import slugs


def test_first_bag_wins_and_lookup_is_case_sensitive() -> None:
    bags = [{"name": "tab"}, {"name": "global", "Name": "upper"}]
    assert slugs.resolve("{name}/{Name}", bags) == "tab/upper"


def test_unresolved_slug_becomes_empty() -> None:
    assert slugs.resolve("Call from {customer}!", [{}]) == "Call from !"


def test_nested_slugs_resolve_inside_out() -> None:
    seen: list[str] = []

    def odata(query: str) -> str:
        seen.append(query)
        return "Printer jam"

    text = "{$odata.incident.title.?$filter=incidentid eq '{caseId}'&$select=title}"
    assert slugs.resolve(text, [{"caseId": "42"}], odata) == "Printer jam"
    assert seen == ["$odata.incident.title.?$filter=incidentid eq '42'&$select=title"]


def test_channel_provider_prefix_is_stripped() -> None:
    assert slugs.resolve("{ChannelProvider.customerName}", [{"customerName": "Ana"}]) == "Ana"


def test_substituted_values_are_not_scanned_again() -> None:
    assert slugs.resolve("{a}", [{"a": "{b}", "b": "no"}]) == "{b}"


def test_unbalanced_brace_stays_literal() -> None:
    assert slugs.resolve("price {", [{}]) == "price {"


def test_values_render_like_javascript() -> None:
    bag = {"n": 3, "f": 1.5, "t": True, "o": {"k": [1]}}
    assert slugs.resolve("{n} {f} {t} {o}", [bag]) == '3 1.5 true {"k":[1]}'


def test_typed_conversion() -> None:
    assert slugs.convert("12", "number", []) == 12
    assert slugs.convert("no", "boolean", []) is False
    assert slugs.convert("yes", "boolean", []) is True
    assert slugs.convert('{"id": "{x}"}', "json", [{"x": "7"}]) == {"id": "7"}
    assert slugs.convert("not json", "json", []) is None


def test_json_braces_are_literal_while_slugs_inside_resolve() -> None:
    text = '{"subject": "Task from {anchor.ticketnumber}"}'
    bags = [{"anchor.ticketnumber": "CAS-01003"}]
    assert slugs.resolve(text, bags) == '{"subject": "Task from CAS-01003"}'


def test_odata_annotation_names_are_slugs() -> None:
    name = "anchor._customerid_value@OData.Community.Display.V1.FormattedValue"
    assert slugs.resolve("{" + name + "}", [{name: "Contoso"}]) == "Contoso"
