/**
 * Where the queue lives: `redis://[user:password@]host:port[/db]` URLs, and a quick check that a
 * Redis server answers there, so that a wrong address is one clear error instead of a client
 * retrying forever.
 */
import { connect } from 'node:net';
import { UsageError } from '../usage-error.js';

export interface RedisAddress {
  host: string;
  port: number;
  username?: string;
  password?: string;
  db: number;
  /** The URL without its password, for messages. */
  display: string;
}

export function parseRedisUrl(raw: string, flag = '--queue'): RedisAddress {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new UsageError(`${flag}: '${raw}' is not a URL; expected redis://HOST:PORT (e.g. redis://127.0.0.1:6379)`);
  }
  if (u.protocol !== 'redis:') throw new UsageError(`${flag}: expected a redis://HOST:PORT URL, got '${raw}'`);
  if (u.hostname === '') throw new UsageError(`${flag}: '${raw}' has no host; expected redis://HOST:PORT`);
  const port = u.port === '' ? 6379 : Number(u.port);
  const path = u.pathname.replace(/^\//, '');
  const db = path === '' ? 0 : Number(path);
  if (!Number.isSafeInteger(db) || db < 0) throw new UsageError(`${flag}: '${path}' is not a Redis database number`);
  const host = u.hostname.replace(/^\[|\]$/g, '');
  return {
    host,
    port,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    db,
    display: `redis://${u.hostname}:${port}${db ? `/${db}` : ''}`,
  };
}

/**
 * Checks that a Redis server answers at the address (PING). Throws {@link UsageError} naming the
 * host, the port, what went wrong and what to start.
 */
export function checkRedis(addr: RedisAddress, timeoutMs = 3000): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: addr.host, port: addr.port });
    let answer = '';
    const fail = (why: string) => {
      socket.destroy();
      reject(
        new UsageError(
          `cannot reach Redis at ${addr.host}:${addr.port} (${why}). Start a Redis server there (Debian: apt-get install redis-server; or \`redis-server --port ${addr.port}\`; Kubernetes: docs/scale.md), or leave out --queue to run the points on this machine`,
        ),
      );
    };
    socket.setTimeout(timeoutMs, () => fail(`no answer within ${timeoutMs / 1000} s`));
    socket.on('error', (e: NodeJS.ErrnoException) => fail(e.code ?? e.message));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (d) => {
      answer += d.toString();
      if (!answer.includes('\r\n')) return;
      socket.destroy();
      // +PONG, or an error that only a Redis server gives (authentication required): it is there.
      if (answer.startsWith('+PONG') || /^-(NOAUTH|WRONGPASS|ERR)/.test(answer)) resolve();
      else fail(`something answered that is not Redis: ${JSON.stringify(answer.slice(0, 40))}`);
    });
  });
}

/** ioredis/BullMQ connection options for the address. */
export function connectionOptions(addr: RedisAddress): {
  host: string;
  port: number;
  username?: string;
  password?: string;
  db: number;
  maxRetriesPerRequest: null;
} {
  const { display: _d, ...rest } = addr;
  return { ...rest, maxRetriesPerRequest: null };
}
