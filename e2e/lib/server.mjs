// Tiny static file server for the e2e suite and the benchmark: serves built Trunk output
// (dist/) on 127.0.0.1, optionally several directories under URL prefixes (e.g. a build made
// with `--public-url /play/` served at /play/) to prove sub-path hosting. No dependencies.
// With `compress: true` it serves like a compressing host: FILE.br or FILE.gz when present and
// accepted (`compress: 'gzip'`: never brotli), else gzip on the fly for text and wasm (the benchmark's Lighthouse runs use this).
import { createServer } from 'node:http';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createGzip } from 'node:zlib';
import { extname, join, resolve, sep } from 'node:path';

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

const COMPRESSIBLE = /^(text\/|application\/(wasm|json|javascript)|image\/svg)/;

/**
 * Starts the server. `mounts` maps URL prefixes ending in "/" to directories, e.g.
 * { '/': 'dist', '/play/': 'target/dist-play' }. Port 0 picks a free port.
 * Resolves to { origin, url(prefix), close() }.
 */
export async function startStaticServer({ mounts, host = '127.0.0.1', port = 0, log = false, compress = false }) {
  const table = Object.entries(mounts)
    .map(([prefix, dir]) => [prefix.endsWith('/') ? prefix : `${prefix}/`, resolve(dir)])
    .sort((a, b) => b[0].length - a[0].length); // longest prefix wins

  const server = createServer(async (req, res) => {
    const send = (status, body, headers = {}) => {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
      res.end(body);
    };
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed');
      const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      // "/play" -> "/play/" so relative URLs inside the page resolve under the prefix.
      const bare = table.find(([prefix]) => prefix !== '/' && path === prefix.slice(0, -1));
      if (bare) return send(301, '', { location: bare[0] });
      const mount = table.find(([prefix]) => path.startsWith(prefix));
      if (!mount) return send(404, 'not found');
      const [prefix, root] = mount;
      let file = join(root, path.slice(prefix.length));
      if (file !== root && !file.startsWith(root + sep)) return send(403, 'forbidden');
      let info = await stat(file).catch(() => null);
      if (info?.isDirectory()) {
        file = join(file, 'index.html');
        info = await stat(file).catch(() => null);
      }
      if (!info?.isFile()) {
        if (log) console.error(`[server] 404 ${path}`);
        return send(404, 'not found');
      }
      const type = MIME[extname(file)] ?? 'application/octet-stream';
      if (compress && COMPRESSIBLE.test(type)) {
        const accepts = String(req.headers['accept-encoding'] ?? '');
        for (const [token, ext] of compress === 'gzip' ? [['gzip', '.gz']] : [['br', '.br'], ['gzip', '.gz']]) {
          if (!new RegExp(`\\b${token}\\b`).test(accepts)) continue;
          const pre = await stat(file + ext).catch(() => null);
          if (!pre?.isFile()) continue;
          res.writeHead(200, { 'content-type': type, 'content-encoding': token, 'content-length': pre.size,
            vary: 'accept-encoding', 'cache-control': 'no-store' });
          if (req.method === 'HEAD') return res.end();
          return createReadStream(file + ext).pipe(res);
        }
        if (/\bgzip\b/.test(accepts)) {
          res.writeHead(200, { 'content-type': type, 'content-encoding': 'gzip', vary: 'accept-encoding',
            'cache-control': 'no-store' });
          if (req.method === 'HEAD') return res.end();
          return createReadStream(file).pipe(createGzip({ level: 9 })).pipe(res);
        }
      }
      res.writeHead(200, {
        'content-type': type,
        'content-length': info.size,
        'cache-control': 'no-store',
      });
      if (req.method === 'HEAD') return res.end();
      createReadStream(file).pipe(res);
    } catch (err) {
      send(500, String(err));
    }
  });

  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, ok);
  });
  const { port: actual } = server.address();
  const origin = `http://${host}:${actual}`;
  return {
    origin,
    url: (prefix = '/') => `${origin}${prefix}`,
    close: () => new Promise((ok) => { server.closeAllConnections?.(); server.close(() => ok()); }),
  };
}
