/**
 * A test-only fault hook: with `NABLA_TEST_KILL_AT=<file name>:<n>` in the environment, the
 * process SIGKILLs itself halfway through the n-th atomic write of a file with that name (the
 * temporary file half written, the target untouched), so tests can kill a run during each of its
 * file writes without relying on timing. Unset, it costs one environment lookup per write.
 */
const counts = new Map<string, number>();

export function faultPoint(name: string): void {
  const spec = process.env.NABLA_TEST_KILL_AT;
  if (spec === undefined || spec === '') return;
  const at = spec.lastIndexOf(':');
  if (spec.slice(0, at) !== name) return;
  const n = (counts.get(name) ?? 0) + 1;
  counts.set(name, n);
  if (n === Number(spec.slice(at + 1))) process.kill(process.pid, 'SIGKILL');
}
