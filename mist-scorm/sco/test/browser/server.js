"use strict";
// A static server on 127.0.0.1 for the host page, scorm-again's build and the unzipped packages.
const http = require("node:http");
const fs = require("node:fs");
const path = require("node:path");

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".xml": "application/xml",
  ".json": "application/json",
};

function fromDir(dir, relative) {
  const file = path.resolve(dir, relative);
  if (!file.startsWith(dir + path.sep) || !fs.existsSync(file)) {
    return null;
  }
  return fs.readFileSync(file);
}

/** Serves /host/…, /scorm-again/… and /pkg/VERSION/…; resolves to {url, close}. */
function serve({ host, againDist, packages }) {
  const server = http.createServer((request, response) => {
    const pathname = decodeURIComponent(new URL(request.url, "http://localhost").pathname);
    const [, root, ...rest] = pathname.split("/");
    let body = null;
    if (root === "host") {
      body = fromDir(host, rest.join("/"));
    } else if (root === "scorm-again") {
      body = fromDir(againDist, rest.join("/"));
    } else if (root === "pkg" && packages.has(rest[0])) {
      body = packages.get(rest[0]).get(rest.slice(1).join("/")) || null;
    }
    if (body === null) {
      response.writeHead(404).end("not found");
      return;
    }
    response.writeHead(200, { "content-type": TYPES[path.extname(pathname)] || "application/octet-stream" });
    response.end(body);
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () => new Promise((done) => server.close(done)),
      });
    });
  });
}

module.exports = { serve };
