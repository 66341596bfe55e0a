/*
 * A `cifbridge serve` child process on a free port, from the installed Python package, like the
 * Python BridgeProcess (src/cifbridge/clients/processes.py):
 *
 *   const bridge = await startBridge({ config: { limits: { maxSessions: 3 } } });
 *   await bridge.client.sessions();
 *   await bridge.stop();
 *
 * The bridge runs with `--port 0 --ready-file`, so nobody picks a port and races for it: start
 * resolves once the ready file holds the URL, and rejects at once, with the bridge's own
 * output, when the process exits instead. Which `cifbridge` runs: the `command` option, else
 * `python -m cifbridge` with the `python` option or CIFBRIDGE_PYTHON, else `cifbridge` on PATH.
 */

import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CifbridgeClient } from "./client.js";
import type { ClientOptions } from "./request.js";

export interface BridgeOptions {
  /** The workspace configuration: an object (written as JSON) or the path of a YAML/JSON file. */
  config?: Record<string, unknown> | string;
  /** More `serve` flags; they come last, so they win over the defaults (`--store sqlite`). */
  args?: string[];
  /** The command that runs cifbridge, e.g. ["/venv/bin/cifbridge"]. */
  command?: string[];
  /** A Python interpreter with cifbridge installed: runs `python -m cifbridge`. */
  python?: string;
  /** Milliseconds to wait for the bridge to answer (default 30 000). */
  timeout?: number;
  /** The token the bridge and its client use (default: CIFBRIDGE_TOKEN, when set). */
  token?: string;
}

export class BridgeStartError extends Error {
  override name = "BridgeStartError";
}

function cifbridgeCommand(options: BridgeOptions): string[] {
  if (options.command && options.command.length > 0) return options.command;
  const python = options.python ?? process.env.CIFBRIDGE_PYTHON;
  return python ? [python, "-m", "cifbridge"] : ["cifbridge"];
}

export class BridgeProcess {
  readonly workdir: string;
  readonly readyFile: string;
  readonly logFile: string;
  readonly argv: string[];
  private child: ChildProcess | undefined;
  private exited: Promise<number | null> | undefined;
  private started: CifbridgeClient | undefined;

  constructor(private readonly options: BridgeOptions = {}) {
    this.workdir = mkdtempSync(join(tmpdir(), "cifbridge-"));
    this.readyFile = join(this.workdir, "bridge.url");
    this.logFile = join(this.workdir, "bridge.log");
    const [program, ...prefix] = cifbridgeCommand(options);
    const serve = ["serve", "--host", "127.0.0.1", "--port", "0", "--store", "memory"];
    serve.push("--ready-file", this.readyFile, ...this.configArgs(), ...(options.args ?? []));
    this.argv = [program as string, ...prefix, ...serve];
  }

  private configArgs(): string[] {
    const { config } = this.options;
    if (config === undefined) return [];
    if (typeof config === "string") return ["--config", config];
    const path = join(this.workdir, "workspace.json");
    writeFileSync(path, JSON.stringify(config, null, 2));
    return ["--config", path];
  }

  /** The client of the started bridge. */
  get client(): CifbridgeClient {
    if (!this.started) throw new Error("the bridge has not been started");
    return this.started;
  }

  get url(): string {
    return this.client.url;
  }

  /** What the bridge printed so far: the banner, log lines, errors. */
  output(): string {
    return existsSync(this.logFile) ? readFileSync(this.logFile, "utf8") : "";
  }

  /** Start the process and resolve with its client once the ready file appears. */
  async start(): Promise<CifbridgeClient> {
    const [program, ...rest] = this.argv;
    const env: NodeJS.ProcessEnv = { ...process.env, PYTHONUNBUFFERED: "1" };
    if (this.options.token) env.CIFBRIDGE_TOKEN = this.options.token;
    // The child writes its output to the log file itself: opened here, at once, so no
    // stream of ours can still be opening it once stop() has removed the folder.
    const log = openSync(this.logFile, "a");
    let child: ChildProcess;
    try {
      child = spawn(program as string, rest, { env, stdio: ["ignore", log, log] });
    } finally {
      closeSync(log); // the child holds its own copy
    }
    this.child = child;
    const spawnError = new Promise<Error>((resolve) => child.once("error", resolve));
    this.exited = new Promise((resolve) => child.once("close", (code) => resolve(code)));
    let url: string;
    try {
      url = await this.waitForReadyFile(spawnError);
    } catch (error) {
      await this.stop(); // nothing left running, no folder left behind
      throw error;
    }
    const clientOptions: ClientOptions = this.options.token ? { token: this.options.token } : {};
    this.started = new CifbridgeClient(url, clientOptions);
    return this.started;
  }

  private async waitForReadyFile(spawnError: Promise<Error>): Promise<string> {
    const timeout = this.options.timeout ?? 30_000;
    const deadline = Date.now() + timeout;
    let failure: Error | undefined;
    let status: number | null | undefined;
    void spawnError.then((error) => {
      failure = error;
    });
    void this.exited?.then((code) => {
      status = code;
    });
    while (!existsSync(this.readyFile) || readFileSync(this.readyFile, "utf8").trim() === "") {
      if (failure) throw new BridgeStartError(this.cannotRun(failure));
      if (status !== undefined) {
        throw new BridgeStartError(`cifbridge serve exited with status ${status}:\n${this.output()}`);
      }
      if (Date.now() > deadline) {
        throw new BridgeStartError(`cifbridge serve did not answer in ${timeout} ms:\n${this.output()}`);
      }
      // Waiting for a child process to start, not synchronizing a test.
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return readFileSync(this.readyFile, "utf8").trim();
  }

  private cannotRun(error: Error): string {
    const how = "install the Python package (pip install cifbridge) where PATH finds it, or set CIFBRIDGE_PYTHON";
    return `cannot run ${this.argv[0]}: ${error.message}; ${how}`;
  }

  /** Stop the process (SIGTERM, then SIGKILL after 10 s) and remove its folder. */
  async stop(): Promise<void> {
    const child = this.child;
    if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const killer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await this.exited;
      clearTimeout(killer);
    }
    rmSync(this.workdir, { recursive: true, force: true });
  }
}

/** Start a bridge and resolve once it answers. */
export async function startBridge(options: BridgeOptions = {}): Promise<BridgeProcess> {
  const bridge = new BridgeProcess(options);
  await bridge.start();
  return bridge;
}
