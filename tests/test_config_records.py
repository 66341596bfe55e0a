"""The configuration's records: checked in one pass, with the schema's messages when wrong."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import pytest

from cifbridge.api.validation import SchemaSet
from cifbridge.files.config import CONFIG_SCHEMA, ConfigError, load_config, plain_records

SECTIONS: list[Any] = [
    {},
    {"contact": []},
    {"contact": [{"lastname": "A", "statecode": 1, "revenue": 2.5, "donotemail": True}]},
    {"contact": [{"emailaddress1": None, "parentcustomerid": {"entityType": "account"}}]},
    {"contact": [{"lastname": ["a list"]}]},
    {"contact": [{"createdon": datetime.date(2024, 1, 1)}]},  # an unquoted YAML date
    {"contact": ["not an object"]},
    {"contact": {"lastname": "A"}},
    ["contact"],
    "contact",
]


@pytest.mark.parametrize("section", SECTIONS)
def test_the_one_pass_check_agrees_with_the_schema(schemas: SchemaSet, section: Any) -> None:
    problems = schemas.all_errors(CONFIG_SCHEMA, {"records": section})
    assert plain_records(section) == (not problems)


def test_a_wrong_record_is_reported_by_the_schema(schemas: SchemaSet, tmp_path: Path) -> None:
    path = tmp_path / "ws.json"
    rows = [{"lastname": f"L{i}"} for i in range(1000)] + [{"lastname": ["a list"]}]
    path.write_text(json.dumps({"records": {"contact": rows}}))
    with pytest.raises(ConfigError, match=r"\$\.records\.contact\[1000\]\.lastname: \[") as caught:
        load_config(schemas, path)
    assert str(caught.value).startswith(f"{path}: ")


def test_many_configured_records_load(schemas: SchemaSet, tmp_path: Path) -> None:
    path = tmp_path / "ws.json"
    rows = [
        {"contactid": f"00000000-0000-4000-8000-{i:012d}", "lastname": f"L{i}"} for i in range(5000)
    ]
    path.write_text(json.dumps({"records": {"contact": rows}}))
    contacts = load_config(schemas, path).records["contact"]
    assert contacts["00000000-0000-4000-8000-000000004999"]["attrs"]["lastname"] == "L4999"
    assert len(contacts) == 5000 + 10  # and the bundled ten
