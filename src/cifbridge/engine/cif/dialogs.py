"""Dialogs a widget opens over the workspace, answered by the agent (reference §2.11).

Rules:
- openDialog(dialogStrings, dialogOptions?) opens a confirm dialog, as the host's
  Xrm.Navigation.openConfirmDialog does: `dialogStrings` (an object or its JSON text) gives
  `text` (required), `title`, `subtitle`, `confirmButtonLabel` and `cancelButtonLabel`
  (defaults "OK" and "Cancel"); it resolves Xrm's answer `{"confirmed": true|false}`, which the
  library turns into JSON text ([DTS] Promise<string>, the compiled library JSON.stringifies
  the host's value);
- openMDDDialog(dialogName, dialogOptions?, dialogParams?) opens the model-driven dialog
  `dialogName` with `dialogParams` as its fields; it resolves a Map with `parameters`, the
  dialog's output parameters: the fields as the agent left them plus
  `param_lastButtonClicked` "ok_id" or "cancel_id" (the library's own MDD button ids);
- neither has the 10 s timeout: they wait for the agent, like notifyEvent; several queue and
  the agent answers the oldest (the one shown) first;
- a workspace reset answers the dialogs still open with an error, so no promise waits forever.
"""

from __future__ import annotations

from typing import Any

from cifbridge.engine.base.context import DEFERRED, CallContext
from cifbridge.engine.base.errors import INVALID, NOT_FOUND, AgentActionRefused, HostError
from cifbridge.engine.base.feature import Feature
from cifbridge.engine.base.state import JSON
from cifbridge.engine.base.texts import WORKSPACE_RESET
from cifbridge.engine.cif.overlays import next_number, options, queue
from cifbridge.engine.cif.queries import DIALOGS, listed

CONFIRM, MDD = "confirm", "mdd"
OK_BUTTON, CANCEL_BUTTON = "ok_id", "cancel_id"
LAST_BUTTON_CLICKED = "param_lastButtonClicked"
STRING_KEYS = ("title", "subtitle", "text", "confirmButtonLabel", "cancelButtonLabel")
API = {CONFIRM: "openDialog", MDD: "openMDDDialog"}


def open_dialog(ctx: CallContext, args: dict[str, Any]) -> Any:
    """Show a confirm dialog; the answer comes when the agent presses a button."""
    strings = options(args.get("dialogStrings"), "dialogStrings")
    if not isinstance(strings.get("text"), str):
        raise HostError("The dialogStrings parameter needs a text to show.")
    bad = [k for k in STRING_KEYS if k in strings and not isinstance(strings[k], str)]
    if bad:
        raise HostError(f"The dialogStrings {bad[0]} must be a string.")
    shown = {k: strings[k] for k in STRING_KEYS if k in strings}
    shown.setdefault("confirmButtonLabel", "OK")
    shown.setdefault("cancelButtonLabel", "Cancel")
    return _open(ctx, CONFIRM, shown, options(args.get("dialogOptions"), "dialogOptions"))


def open_mdd_dialog(ctx: CallContext, args: dict[str, Any]) -> Any:
    """Show a model-driven dialog by name; the answer comes when the agent closes it."""
    extra = {
        "name": args["dialogName"],
        "parameters": options(args.get("dialogParams"), "dialogParams"),
    }
    return _open(ctx, MDD, extra, options(args.get("dialogOptions"), "dialogOptions"))


def _open(ctx: CallContext, kind: str, shown: dict[str, Any], dialog_options: Any) -> Any:
    waiting = queue(ctx.workspace, DIALOGS)
    provider = ctx.provider or ""
    if any(d["provider"] == provider and d["requestId"] == ctx.request_id for d in waiting):
        return DEFERRED  # a retry of a call still open must not open a second dialog
    waiting.append(
        {
            "id": f"dialog-id-{next_number(ctx, 'nextDialog')}",
            "kind": kind,
            "provider": provider,
            "requestId": ctx.request_id,
            "options": dialog_options,
            "openedAt": ctx.clock(),
            **shown,
        }
    )
    ctx.changed()
    return DEFERRED


def list_dialogs(ctx: CallContext) -> list[dict[str, JSON]]:
    """Agent action: the open dialogs, the one shown first."""
    return list(listed(ctx.workspace, DIALOGS))


def answer_dialog(
    ctx: CallContext,
    confirmed: bool,
    dialog_id: str | None = None,
    parameters: dict[str, Any] | None = None,
) -> dict[str, JSON]:
    """Agent action: press OK (confirmed) or Cancel on the dialog shown; answer its widget."""
    waiting = queue(ctx.workspace, DIALOGS)
    if not waiting:
        raise AgentActionRefused("No dialog is open")
    dialog = waiting[0]
    if dialog_id is not None and dialog["id"] != dialog_id:
        if all(d["id"] != dialog_id for d in waiting):
            raise AgentActionRefused(f"Dialog {dialog_id} is not open", NOT_FOUND)
        raise AgentActionRefused(f"Dialog {dialog_id} is queued; answer {dialog['id']} first")
    if parameters is not None and dialog["kind"] != MDD:
        raise AgentActionRefused(f"Dialog {dialog['id']} has no fields to fill in", INVALID)
    waiting.pop(0)
    answer = _answer(dialog, confirmed, parameters or {})
    ctx.settle(dialog["provider"], dialog["requestId"], API[dialog["kind"]], answer)
    return {"answered": dialog["id"], "value": answer}


def _answer(dialog: dict[str, Any], confirmed: bool, parameters: dict[str, Any]) -> JSON:
    if dialog["kind"] == CONFIRM:
        return {"confirmed": confirmed}
    if not confirmed:
        return {"parameters": {LAST_BUTTON_CLICKED: CANCEL_BUTTON}}
    fields = {**dialog["parameters"], **parameters}
    return {"parameters": {**fields, LAST_BUTTON_CLICKED: OK_BUTTON}}


def abandon_dialogs(ctx: CallContext) -> None:
    """Answer every open dialog with an error before the workspace is reset."""
    for dialog in listed(ctx.workspace, DIALOGS):
        error = HostError(WORKSPACE_RESET)
        ctx.settle_error(dialog["provider"], dialog["requestId"], API[dialog["kind"]], error)


FEATURE = Feature(
    name="dialogs",
    handlers={"openDialog": open_dialog, "openMDDDialog": open_mdd_dialog},
    agent_actions={"listDialogs": list_dialogs, "answerDialog": answer_dialog},
    on_reset=(abandon_dialogs,),
)
