/*
 * Whose workspace this page is: the agent its URL names (/agents/<agent>/), else the default
 * agent (the bridge's root page). Control calls go to that agent's routes, the socket joins its
 * room, and the widget iframes the page hosts inherit it through their window name.
 */

const match = /^\/agents\/([^/]+)\//.exec(window.location.pathname);

/** The agent's name ("default" on the bridge's root page). */
export const AGENT = match ? decodeURIComponent(match[1]) : "default";

/** What every control path is prefixed with: "" for the default agent, /agents/<agent> else. */
export const AGENT_PREFIX = match ? `/agents/${match[1]}` : "";
