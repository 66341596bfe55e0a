"""An agent's workspace text in Redis, in parts: a save sends what changed, not 27 kB.

The remembered answers (up to 256) and the analytics events (up to 200) are most of a
workspace's text, and a save changes one or two of them. So, as the SQLite store keeps them
as rows (store/sqlite_parts.py), the Redis store keeps the rest of the workspace under
`<k>:rest` and each of those as an entry of a list, `<k>:answers` (member texts,
`"key":answer`) and `<k>:events`, oldest first.

Rules:
- a save sends the rest and, while the lists in Redis are the ones this process last wrote
  (`Held`), only how many entries were forgotten at the front of each and the new ones at the
  end (`more`); otherwise (the first save after a read, an answer replaced in place, a
  workspace restored) the lists whole (`all`);
- lists written whole get a random token (`<k>:lists`), which only the process that wrote
  them knows, and `more` builds on them only while Redis holds that token (the save's script
  checks it before writing anything). A revision would not do: after an agent is cleared
  another process numbers its saves from the start again. A script that finds another token
  answers -1 and writes nothing; the store sends the save again with the lists whole;
- a text that is not in parts (the routing state) is kept whole under `<k>`, as every text
  was before; a workspace saved whole before is read as it is and split at its next save,
  which deletes the whole text;
- reading answers the parts in one array (or the whole text), joined here.
"""

from __future__ import annotations

import os
from typing import Any, NamedTuple

from cifbridge.engine.base.state import SavedAnswers, SavedEvents, joined_text
from cifbridge.store.base import Saved

# Lua functions the store's scripts start with. `saved_text(whole, rest, answers, events)`
# answers {rest, answers, events}, the whole text, or false. `lists_current(lists, at)`: the
# lists a save's block at ARGV[at] builds on are the ones Redis holds. `write_text(whole,
# rest, answers, events, lists, at)` writes the block of ARGV from `at`: mode ('whole',
# 'all', 'more'), the lists' token (new for 'all', the one built on for 'more'), the text or
# the rest, answers forgotten and added, events forgotten and added, then the added answers
# and events; it answers the index after them.
FUNCTIONS = """
local function saved_text(whole, rest, answers, events)
  local r = redis.call('GET', rest)
  if r then
    return {r, redis.call('LRANGE', answers, 0, -1), redis.call('LRANGE', events, 0, -1)}
  end
  return redis.call('GET', whole)
end
local function lists_current(lists, at)
  return ARGV[at] ~= 'more' or redis.call('GET', lists) == ARGV[at + 1]
end
local function write_text(whole, rest, answers, events, lists, at)
  local mode = ARGV[at]
  if mode == 'whole' then
    redis.call('SET', whole, ARGV[at + 2])
    redis.call('DEL', rest, answers, events, lists)
    return at + 7
  end
  redis.call('SET', rest, ARGV[at + 2])
  redis.call('DEL', whole)
  if mode == 'all' then redis.call('SET', lists, ARGV[at + 1]) end
  local i = at + 7
  for _, list in ipairs({{answers, at + 3}, {events, at + 5}}) do
    local dropped, added = tonumber(ARGV[list[2]]), tonumber(ARGV[list[2] + 1])
    if mode == 'all' then
      redis.call('DEL', list[1])
    elseif dropped > 0 then
      redis.call('LTRIM', list[1], dropped, -1)
    end
    if added > 0 then redis.call('RPUSH', list[1], unpack(ARGV, i, i + added - 1)) end
    i = i + added
  end
  return i
end
"""
# What a save script answers when the lists it was to add to moved on (see above).
LISTS_MOVED = -1


class Held(NamedTuple):
    """The lists this process last wrote for an agent, and their token."""

    token: str
    answers: SavedAnswers
    events: SavedEvents


def part_keys(key: str) -> list[str]:
    """Return the keys of an agent's text in parts (its whole text is `key`): the rest, the
    answers, the events, and the lists' token."""
    return [f"{key}:rest", f"{key}:answers", f"{key}:events", f"{key}:lists"]


def text_block(state: Saved, held: Held | None) -> tuple[list[str | int], Held | None]:
    """Return the ARGV block `write_text` reads for a save of `state`, and what the lists
    then hold (`held`: the lists as this process last wrote them; None: not known)."""
    if isinstance(state, str):
        return ["whole", "", state, 0, 0, 0, 0], None
    answers, events = state.answers, state.analytics
    if held is not None and answers.follows(held.answers) and events.follows(held.events):
        new_answers = [answers.at(index)[1] for index in answers.added_since(held.answers)]
        new_events = [events.at(index) for index in events.added_since(held.events)]
        block: list[str | int] = [
            "more", held.token, state.rest,
            answers.dropped_since(held.answers), len(new_answers),
            events.dropped_since(held.events), len(new_events),
            *new_answers, *new_events,
        ]  # fmt: skip
        return block, Held(held.token, answers, events)
    token = os.urandom(16).hex()
    members, texts = answers.members(), events.texts()
    block = ["all", token, state.rest, 0, len(members), 0, len(texts), *members, *texts]
    return block, Held(token, answers, events)


def joined(raw: Any) -> str | None:
    """Return the text `saved_text` answered (None for none)."""
    if raw is None:
        return None
    if isinstance(raw, list):
        rest, members, events = raw
        answers, texts = [text_of(m) for m in members], [text_of(e) for e in events]
        return joined_text(text_of(rest), answers, texts)
    return text_of(raw)


def text_of(raw: Any) -> str:
    """Return a Redis answer's bytes as text."""
    return raw.decode("utf-8") if isinstance(raw, bytes) else str(raw)
