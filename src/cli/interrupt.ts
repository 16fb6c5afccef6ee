// Ctrl-C / SIGTERM handling for long commands: the first signal asks the work to checkpoint and stop
// (through the returned AbortSignal); a second one, a moment later, exits at once. A repeat within a
// second is the same press arriving twice (from the terminal and from the launcher) and is ignored.

const SAME_PRESS_MS = 1000;

export function interruptSignal(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  let first = 0;
  const onSignal = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      if (Date.now() - first < SAME_PRESS_MS) return;
      process.stderr.write(`\ncalign: second ${name}, exiting without saving\n`);
      process.exit(130);
    }
    first = Date.now();
    process.stderr.write(`\ncalign: ${name} received, saving a checkpoint and stopping (again to force)\n`);
    controller.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return {
    signal: controller.signal,
    dispose() {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    },
  };
}
