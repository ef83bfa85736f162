// A byte relay between two stream sockets, run as its own process by the real-node harness
// (test/support/realNode.ts): a kubelet in a network namespace of the test reaches the API
// server on the host's loopback through a UNIX socket, which crosses network namespaces.
//
//   node relay.js LISTEN TARGET      each one tcp:HOST:PORT or unix:PATH
//
// Prints "listening" once it accepts connections. Plain JavaScript: it runs without ts-node.
"use strict";
const fs = require("fs");
const net = require("net");

function address(spec) {
    if (spec.startsWith("unix:")) return { path: spec.slice("unix:".length) };
    const m = /^tcp:(.+):(\d+)$/.exec(spec);
    if (!m) throw new Error(`relay: ${spec} is neither tcp:HOST:PORT nor unix:PATH`);
    return { host: m[1], port: Number(m[2]) };
}

const [listenSpec, targetSpec] = process.argv.slice(2);
const listen = address(listenSpec);
const target = address(targetSpec);
if (listen.path) fs.rmSync(listen.path, { force: true });
const server = net.createServer((client) => {
    const upstream = net.connect(target);
    client.pipe(upstream);
    upstream.pipe(client);
    client.on("error", () => upstream.destroy());
    upstream.on("error", () => client.destroy());
});
server.listen(listen, () => process.stdout.write("listening\n"));
