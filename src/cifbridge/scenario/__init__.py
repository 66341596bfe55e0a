"""Scenario files: customer-and-agent stories played against a running bridge.

`cifbridge scenario run FILE [--url URL]` validates FILE against `urn:cifbridge:scenario`
(schemas/scenario.json), then plays its steps through the control API, printing one line per
step; see files.py for the format, runner.py for what each step does and expect.py for the
assertions.
"""
