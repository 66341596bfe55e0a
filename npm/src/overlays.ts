/*
 * What widgets lay over the workspace, as the control API's overlay routes answer it
 * (src/cifbridge/web/control/overlays.py; the engine's dialogs.py, messagebars.py, notes.py).
 * The route table types these answers as any JSON value ("value"); these are their shapes.
 */

import type { Json } from "./answers.js";

/** An open dialog: openDialog's confirm dialog or openMDDDialog's model-driven one. */
export interface DialogView {
  id: string;
  kind: "confirm" | "mdd";
  provider: string;
  /** confirm: the dialogStrings shown, with the button labels ("OK", "Cancel" by default). */
  text?: string;
  title?: string;
  subtitle?: string;
  confirmButtonLabel?: string;
  cancelButtonLabel?: string;
  /** mdd: the dialog's name and its fields. */
  name?: string;
  parameters?: { [field: string]: Json };
  [key: string]: unknown;
}

/** What pressing a dialog's button did: the dialog answered and what its promise resolves with. */
export interface DialogAnswer {
  answered: string;
  value: Json;
}

/** A message bar (showGlobalNotification, or the missed-notification bar). */
export interface MessageBarView {
  id: string;
  kind: "global" | "timeout";
  /** 1 success, 2 error, 3 warning, 4 information. */
  level: number;
  message: string;
  showCloseButton: boolean;
  actionLabel: string | null;
  actionLink: string | null;
  expiresAt: number | null;
  [key: string]: unknown;
}

/** What clicking a bar's action did: the page opens `actionLink`, if any. */
export interface MessageBarClick {
  clicked: string;
  actionLabel: string;
  actionLink: string | null;
}

/** The open notes flap (insertNotes), with the text of the note it adds to. */
export interface NotesFlap {
  entityName: string;
  entitySetName: string;
  entityId: string;
  /** The note it appends to, or "" for a new one. */
  annotationId: string;
  sessionId: string;
  existingText: string;
  [key: string]: unknown;
}

/** The note saved; the widget's insertNotes resolves its id. */
export interface SavedNote {
  annotationId: string;
  entityName: string;
  entityId: string;
}

/** The workspace view's `overlays`: what widgets lay over the page, the shown dialog first. */
export interface OverlaysView {
  dialogs: DialogView[];
  /** Each bar with its level's name and, for a bar that expires, the seconds it has left. */
  messageBars: Array<MessageBarView & { levelName: string; secondsLeft: number | null }>;
  progress: { [key: string]: unknown } | null;
  notes: NotesFlap | null;
}
