/**
 * The most kernel threads nabla accepts. OpenMP (libgomp) segfaults or aborts when asked for tens
 * of thousands of threads; 1024 is far above any useful count on a CPU yet safely below that.
 * Browser-safe, so run configs can be checked anywhere.
 */
export const MAX_THREADS = 1024;

/** Why `n` is not a valid thread count, or null when it is (1 to {@link MAX_THREADS}). */
export function checkThreadCount(n: unknown): string | null {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_THREADS)
    return `must be an integer from 1 to ${MAX_THREADS}, got ${typeof n === 'number' ? n : JSON.stringify(n)}`;
  return null;
}
