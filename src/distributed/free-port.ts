// A port nothing listens on now, for a one-node job's rendezvous store when none was named (torchrun
// --standalone does the same): two jobs started on one machine then do not both try 29500. The port is
// free when asked, and taken by rank 0's store a moment later; another process binding it in between
// makes that rank fail at once with the address in use.
import { createServer } from "node:net";

/** A port free on every address of this machine (where the store binds), as the kernel picks it. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === "object") resolve(address.port);
        else reject(new Error("the kernel assigned no port"));
      });
    });
  });
}
