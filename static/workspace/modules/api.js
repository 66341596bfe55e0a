/*
 * The control API: every agent action is an HTTP request; the resulting state comes back over
 * the socket like any other change, so only failures matter to the caller.
 */

const errorBar = () => document.getElementById("workspace-error");

/** Send one agent action; resolve with the JSON answer, or show the error and resolve null. */
export async function agent(method, path, body) {
  clearError();
  try {
    return await request(method, path, body);
  } catch (error) {
    showError(error);
    return null;
  }
}

/** Send one request and return its JSON body; throw an Error with the API's message. */
export async function request(method, path, body) {
  const init = { method, headers: { Accept: "application/json" } };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  const data = await response.json().catch(() => null);
  if (!response.ok) {
    const message = data?.error?.message;
    throw new Error(message || `${response.status} ${response.statusText}`);
  }
  return data;
}

/** Encode one path segment. */
export function seg(value) {
  return encodeURIComponent(String(value));
}

/** Show a failure to the agent (as text). */
export function showError(error) {
  const bar = errorBar();
  bar.textContent = error?.message ? error.message : String(error);
  bar.hidden = false;
}

export function clearError() {
  const bar = errorBar();
  bar.textContent = "";
  bar.hidden = true;
}
