/*
 * Widget pages served from a second loopback origin, as a partner's dev server would, like the
 * Python WidgetPages (src/cifbridge/clients/pages.py). A page opened with `page.setContent` or
 * from a `file:` URL has the origin `null`, which no provider trusts; these pages come from
 * `http://localhost:<free port>`, which the bundled provider trusts, on an origin other than
 * the bridge's `127.0.0.1:<port>`.
 */

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export class WidgetPages {
  private count = 0;

  private constructor(
    private readonly server: Server,
    private readonly pages: Map<string, string>,
    /** The origin the pages come from, `http://localhost:<port>`. */
    readonly url: string,
  ) {}

  /** Start serving on 127.0.0.1, addressed as `hostName`. */
  static async start(hostName = "localhost"): Promise<WidgetPages> {
    const pages = new Map<string, string>();
    const server = createServer((request, response) => {
      const body = pages.get((request.url ?? "/").split("?", 1)[0] as string);
      response.writeHead(body === undefined ? 404 : 200, { "Content-Type": "text/html; charset=utf-8" });
      response.end(body ?? "no such page");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    // The request handler reads the map that serve() writes.
    return new WidgetPages(server, pages, `http://${hostName}:${port}`);
  }

  /** Serve `html` as a new page; return its URL. */
  serve(html: string): string {
    this.count += 1;
    const path = `/page-${this.count}.html`;
    this.pages.set(path, html);
    return this.url + path;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
