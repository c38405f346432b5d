/**
 * The grader's end of the sandbox's channel as it opens: accepts the harness's loopback connection
 * that greets with the sandbox's token, within the start limit, and reads that greeting byte by
 * byte so nothing after it is consumed.
 *
 * @module
 */
import { formatSeconds } from "../_format.ts";
import { HelloSchema } from "./_protocol.ts";
import { decodeWire } from "./_wire.ts";

/**
 * Accepts the first connection whose first line is a `hello` with the token; closes every other.
 *
 * @param listener The loopback listener the harness was told the port of.
 * @param token The sandbox's secret, given to the harness on its stdin.
 * @param startMs How long the harness may take to connect.
 * @param process The harness: if it exits first, no connection will come.
 * @returns The authenticated connection.
 * @throws {Error} If no answer came in time, the harness exited or the listener closed.
 *
 * @example Usage
 * ```ts
 * import { accept } from "./_channel.ts";
 * import { rejects } from "node:assert/strict";
 *
 * const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * const process = new Deno.Command(Deno.execPath(), { args: ["eval", "1"], stdout: "null" }).spawn();
 * await rejects(accept(listener, "secret", 10_000, process), /the harness exited with code 0/);
 * listener.close();
 * ```
 */
export async function accept(
  listener: Deno.Listener,
  token: string,
  startMs: number,
  process: Deno.ChildProcess,
): Promise<Deno.Conn> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${formatSeconds(startMs / 1000)}`)),
      startMs,
    );
  });
  const exited = process.status.then((status) => {
    throw new Error(`the harness exited with code ${status.code}`);
  });
  const connect = (async () => {
    for await (const conn of listener) {
      const hello = await readLine(conn).catch(() => undefined);
      const parsed = hello === undefined ? undefined : HelloSchema.safeParse(decodeWire(hello));
      if (parsed?.success && parsed.data.token === token) return conn;
      conn.close();
    }
    throw new Error("the channel closed");
  })();
  try {
    return await Promise.race([connect, timeout, exited]);
  } finally {
    clearTimeout(timer);
  }
}

/** Reads one line byte by byte, so nothing after it is consumed. */
async function readLine(conn: Deno.Conn): Promise<string> {
  const bytes: number[] = [];
  const one = new Uint8Array(1);
  while (bytes.length < 4096) {
    const n = await conn.read(one);
    if (n === null) throw new Error("closed");
    if (one[0] === 10) return new TextDecoder().decode(new Uint8Array(bytes));
    bytes.push(one[0]!);
  }
  throw new Error("line too long");
}
