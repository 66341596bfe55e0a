"""Users' YAML and JSON files are read safely: no object tags, no alias bombs, no deep nests."""

from __future__ import annotations

from pathlib import Path

import pytest

from cifbridge.files.config import ConfigError, read_config_file
from cifbridge.files.documents import DocumentError, read_document

BILLION_LAUGHS = """\
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_an_alias_bomb_is_refused_before_it_is_built(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as refused:
        read_config_file(write(tmp_path, "bomb.yaml", BILLION_LAUGHS))
    message = str(refused.value)
    assert message.startswith(f"{tmp_path / 'bomb.yaml'}: not valid YAML: ")
    assert "expands to more than 200000 values through the alias *" in message
    assert "anchors and aliases that multiply content are refused" in message


def test_modest_anchors_and_merge_keys_still_work(tmp_path: Path) -> None:
    text = """\
base: &base {label: Softphone, order: 1}
providers:
  - {<<: *base, uniqueName: one}
  - {<<: *base, uniqueName: two}
"""
    data = read_document(write(tmp_path, "anchors.yaml", text))
    assert [p["label"] for p in data["providers"]] == ["Softphone", "Softphone"]


def test_object_tags_build_nothing(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    text = f'x: !!python/object/apply:os.system ["touch {marker}"]\n'
    with pytest.raises(DocumentError, match="could not determine a constructor"):
        read_document(write(tmp_path, "tag.yaml", text))
    assert not marker.exists()


@pytest.mark.parametrize(
    ("name", "text"),
    [("deep.yaml", "a: " + "[" * 3000 + "]" * 3000), ("deep.json", "[" * 3000 + "]" * 3000)],
)
def test_files_nested_too_deep_are_refused(tmp_path: Path, name: str, text: str) -> None:
    with pytest.raises(DocumentError, match="nested deeper than 64 levels"):
        read_document(write(tmp_path, name, text))
