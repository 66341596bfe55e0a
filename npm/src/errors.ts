/*
 * The exceptions of the JS client. The control API answers every refusal with one body,
 * `{"error": {"message": ...}}` (src/cifbridge/web/errors.py), with 400 (malformed or invalid),
 * 401 (a token is needed), 404 (unknown) or 409 (not allowed now); CifbridgeError carries it.
 */

/** The control API's error body. */
export interface ErrorBody {
  error: { message: string; [key: string]: unknown };
}

/** The control API refused a request: `status` is the HTTP status, `body` its error body. */
export class CifbridgeError extends Error {
  override name = "CifbridgeError";
  readonly status: number;
  readonly body: ErrorBody;
  /** The route name the request was sent to (`closeSession`), or the path for other requests. */
  readonly route: string;

  constructor(route: string, status: number, body: ErrorBody) {
    super(`${route}: ${status}: ${body.error.message}`);
    this.status = status;
    this.body = body;
    this.route = route;
  }
}

/** A journal helper gave up: what it waited for never came, or a call it forbids was seen. */
export class JournalAssertionError extends Error {
  override name = "JournalAssertionError";
  /** The journal entries the helper looked at, for the report. */
  readonly entries: readonly unknown[];

  constructor(message: string, entries: readonly unknown[]) {
    super(message);
    this.entries = entries;
  }
}

/** Turn an answer that is not a 2xx into the error body, whatever the server sent. */
export function errorBody(status: number, statusText: string, text: string): ErrorBody {
  try {
    const parsed: unknown = JSON.parse(text);
    const error = (parsed as { error?: { message?: unknown } } | null)?.error;
    if (error && typeof error.message === "string") {
      return parsed as ErrorBody;
    }
  } catch {
    // Not JSON (a proxy's page, a plain-text 404): the status line stands in for the message.
  }
  return { error: { message: text.trim() || `${status} ${statusText}`.trim() } };
}
