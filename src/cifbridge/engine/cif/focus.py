"""Focus and closing: the agent's moves, and the events widgets receive for them.

Rules:
- exactly one session is focused; the Home session is focused when nothing else is;
- focusing a session clears its unread count, new-activity and attention indicators;
- a switch sends `onSessionSwitched` to the provider of each session involved, one payload per
  session, carrying both `focused` (library) and `focussed` (docs);
- closing a session sends `onSessionClosed` to its provider, lets the features that keep work
  in it settle that work (the features' `on_session_closed` hooks: conversations, record
  forms), then focus moves to the most recently
  focused session still open (Home at last), which may send `onSessionSwitched`;
- the Home session can't be closed.
"""

from __future__ import annotations

from cifbridge.engine.base.context import CallContext
from cifbridge.engine.base.errors import NOT_FOUND, AgentActionRefused
from cifbridge.engine.base.feature import Feature
from cifbridge.engine.base.state import Session
from cifbridge.engine.base.texts import HOME_NOT_CLOSABLE
from cifbridge.engine.config.workspace import HOME_SESSION_ID

SESSION_SWITCHED = "onSessionSwitched"
SESSION_CLOSED = "onSessionClosed"


def switch_payload(session: Session, focused: bool) -> dict[str, object]:
    """Return the onSessionSwitched payload for one session."""
    return {
        "sessionId": session.id,
        "focused": focused,
        "focussed": focused,
        "context": session.context,
    }


def focus(ctx: CallContext, session_id: str) -> None:
    """Make `session_id` the focused session and tell the providers involved."""
    workspace = ctx.workspace
    target = workspace.sessions[session_id]
    target.unread = 0
    target.new_activity = False
    target.attention = False
    target.attention_count = None
    ctx.changed()
    if workspace.focused == session_id:
        return
    previous = workspace.sessions.get(workspace.focused)
    if previous is not None:
        workspace.focus_history = [s for s in workspace.focus_history if s != previous.id]
        workspace.focus_history.append(previous.id)
        ctx.emit(previous.provider, SESSION_SWITCHED, switch_payload(previous, False))
    workspace.focused = session_id
    ctx.emit(target.provider, SESSION_SWITCHED, switch_payload(target, True))


def focus_session(ctx: CallContext, session_id: str) -> None:
    """Agent action: switch to a session by clicking it."""
    if session_id not in ctx.workspace.sessions:
        raise AgentActionRefused(f"Session {session_id} is not open", NOT_FOUND)
    focus(ctx, session_id)


def close(ctx: CallContext, session_id: str) -> None:
    """Close a session as the agent does, moving focus if it was focused."""
    if session_id == HOME_SESSION_ID:
        raise AgentActionRefused(HOME_NOT_CLOSABLE)
    workspace = ctx.workspace
    session = workspace.sessions.pop(session_id, None)
    if session is None:
        raise AgentActionRefused(f"Session {session_id} is not open", NOT_FOUND)
    workspace.focus_history = [s for s in workspace.focus_history if s != session_id]
    ctx.emit(
        session.provider, SESSION_CLOSED, {"sessionId": session.id, "context": session.context}
    )
    ctx.changed()
    for hook in ctx.hooks.on_session_closed:
        hook(ctx, session)
    if workspace.focused == session_id:
        # The closed session is gone, so focus() sends only the successor's "focused" event.
        successor = workspace.focus_history.pop() if workspace.focus_history else HOME_SESSION_ID
        focus(ctx, successor)


FEATURE = Feature(
    name="focus", agent_actions={"focusSession": focus_session, "closeSession": close}
)
