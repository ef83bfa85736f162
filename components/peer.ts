// A cloud's entry point needs that cloud's SDK, an optional peer dependency of the package.
// Without it, say which package to install instead of Node's "Cannot find module
// '@pulumi/aws/autoscaling'" from deep inside a component.

/** Throws, naming the install command, when `sdk` cannot be resolved from the package. */
export function requirePeer(entry: string, sdk: string, resolve: (id: string) => string = require.resolve): void {
    try {
        resolve(`${sdk}/package.json`);
    } catch {
        throw new Error(`${entry} needs the peer dependency ${sdk}, which is not installed: run \`npm install ${sdk}\``);
    }
}
