/** `main.ts <apis.json|URL> [identifier]`: starts the example server; PORT and HOST from the environment. */
import { startExampleServer } from "./server";

async function main(): Promise<void> {
    const [source, identifier] = process.argv.slice(2);
    if (source === undefined) {
        console.error(
            "usage: main.ts <apis.json or URL> [identifier]   (apis.json from `pulumi stack output apis --json`)",
        );
        process.exit(2);
    }
    const server = await startExampleServer({
        contractSource: source,
        identifier,
        host: process.env.HOST,
        port: process.env.PORT === undefined ? 3000 : Number(process.env.PORT),
    });
    console.log(`MCP server listening on ${server.origin}`);
    for (const signal of ["SIGINT", "SIGTERM"] as const)
        process.on(signal, () => void server.close().then(() => process.exit(0)));
}

main().catch((error: Error) => {
    console.error(error.message);
    process.exit(2);
});
