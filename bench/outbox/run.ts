/**
 * Runs a measurement script and exits with its outcome: a pool or client left open by a failed
 * round must not keep the process alive, nor hide the failure behind exit code 0.
 */
export function run(main: () => Promise<void>): void {
  void main().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
