"""The README's code examples, found by the marker line before each fenced block.

<!-- example: test_widget.py -->     the block is that file of the sample project
<!-- example: run -->                the block is a shell script run in the project
<!-- example: js/tests/x.spec.ts -->  the block is tests/x.spec.ts of the JavaScript project
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"
MARKER = re.compile(r"^<!-- example: (\S+) -->$")
RUN = "run"
JS = "js/"  # the examples of the JavaScript project, apart from the Python one


@dataclass(frozen=True)
class Example:
    """One fenced block of the README and what to do with it."""

    target: str  # a file path in the sample project, or "run"
    text: str
    line: int


def examples(readme: Path = README) -> list[Example]:
    """Return every marked example, in README order."""
    lines = readme.read_text(encoding="utf-8").splitlines()
    found = []
    for number, line in enumerate(lines):
        marker = MARKER.match(line)
        if marker is None:
            continue
        if not lines[number + 1].startswith("```"):
            raise ValueError(f"README.md:{number + 1}: an example marker must precede a fence")
        end = lines.index("```", number + 2)
        text = "\n".join(lines[number + 2 : end]) + "\n"
        found.append(Example(marker.group(1), text, number + 1))
    return found


def write_project(folder: Path, readme: Path = README) -> list[Example]:
    """Write the README's example files into `folder`; return the shell examples to run."""
    scripts = []
    for example in examples(readme):
        if example.target == RUN:
            scripts.append(example)
            continue
        if example.target.startswith(JS):
            continue
        path = folder / example.target
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(example.text, encoding="utf-8")
    return scripts


def write_js_project(folder: Path, readme: Path = README) -> list[Example]:
    """Write the README's JavaScript examples into `folder` (without js/); return them."""
    written = [e for e in examples(readme) if e.target.startswith(JS)]
    for example in written:
        path = folder / example.target.removeprefix(JS)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(example.text, encoding="utf-8")
    return written
