// Ctrl-C / SIGTERM handling for long commands: the first signal asks the work to checkpoint and stop
// (through the returned AbortSignal); a second one exits at once.

export function interruptSignal(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      process.stderr.write(`\ncalign: second ${name}, exiting without saving\n`);
      process.exit(130);
    }
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
