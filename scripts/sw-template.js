// sw.js: the playground's offline service worker, written into each build by
// scripts/post-build.sh from scripts/sw-template.js (do not edit the generated copy).
// One cache per build version and scope ("ebs-kms-playground:<scope path>:<version>"), so two
// deployments on one origin (/ and /play/) never share one, and a page is never served files of
// another version: the build's files are cached on install, hashed assets are served from the
// cache, everything else from the network first (the cache when offline), and activating a new
// version deletes the caches of older ones of the same scope.
'use strict';
const VERSION = '__VERSION__';
const FILES = __FILES__;
const SCOPE = self.registration.scope;
const PREFIX = 'ebs-kms-playground:' + new URL(SCOPE).pathname + ':';
const CACHE = PREFIX + VERSION;
const IMMUTABLE = new Set(FILES.filter((f) => /-[0-9a-f]{8,}[._]/.test(f)).map((f) => new URL(f, SCOPE).href));

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(FILES.map((f) => new URL(f, SCOPE).href))));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith(PREFIX) && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

async function fromCache(request, navigation) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(request, { ignoreSearch: navigation });
  if (hit) return hit;
  const path = new URL(request.url).pathname;
  const root = new URL(SCOPE).pathname;
  if (navigation) {
    // The app's page with any ?embed=… query is its one index.html (cached as the scope URL);
    // a folder's page is its index.html.
    const page = path === root || path === root + 'index.html' ? SCOPE
      : path.endsWith('/') ? new URL('index.html', request.url).href : null;
    const hit2 = page && (await cache.match(page));
    if (hit2) return hit2;
  }
  return Response.error();
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || !request.url.startsWith(SCOPE)) return;
  const url = request.url.split('#')[0];
  if (IMMUTABLE.has(url)) {
    event.respondWith(caches.open(CACHE).then((c) => c.match(url)).then((hit) => hit || fetch(request)));
    return;
  }
  const navigation = request.mode === 'navigate';
  event.respondWith(
    fetch(request).then(
      (response) => {
        if (response.ok && response.type === 'basic' && !url.endsWith('/sw.js')) {
          const copy = response.clone();
          caches.open(CACHE).then((c) => c.put(request, copy));
        }
        return response;
      },
      () => fromCache(request, navigation),
    ),
  );
});
