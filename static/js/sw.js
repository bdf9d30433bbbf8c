// Footing's service worker: keeps the app shell and the pages an athlete opened, for the gym
// basement. Served at /sw.js by workouts/pwa.py, which puts `self.FOOTING` (version, shell
// files, offline page, static prefix, private paths) in front of this file.
//
// Caches:
//   footing-shell-<version>   CSS, JS, icons and the offline page; replaced with each version.
//   footing-pages-user-<id>   pages a signed-in athlete opened: only ever shown to that athlete,
//                             deleted at logout or as soon as anyone else's page is seen.
//   footing-pages-public      pages opened while signed out (the routine catalogue).
//   footing-state             whose pages these are.
// Sets are not sent from here: the page sends its own queue (outbox.js), so nothing depends
// on Background Sync.

const CONFIG = self.FOOTING;
const SHELL_CACHE = `footing-shell-${CONFIG.version}`;
const USER_PAGES = "footing-pages-user-";
const PUBLIC_PAGES = "footing-pages-public";
const STATE_CACHE = "footing-state";
const OWNER_KEY = new URL("__footing/owner", self.registration.scope).href;
// How long a page may take before a saved copy is shown instead (weak signal).
const NETWORK_WAIT_MS = 6000;
const OWNER_PATTERN = /<meta name="footing-user" content="([^"]*)">/;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(SHELL_CACHE)
      .then((cache) => cache.addAll([...CONFIG.shell, CONFIG.offline]))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith("footing-shell-") && name !== SHELL_CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith(CONFIG.staticPrefix)) {
    event.respondWith(fromShell(request));
  } else if (request.mode === "navigate") {
    event.respondWith(openPage(event, url));
  }
});

self.addEventListener("message", (event) => {
  const message = event.data || {};
  if (message.type === "remember" && typeof message.url === "string") {
    event.waitUntil(remember(message.url));
  }
});

// Static files: the kept copy first; anything not kept yet is fetched and kept.
async function fromShell(request) {
  const kept = await caches.match(request, { cacheName: SHELL_CACHE });
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok && response.type === "basic") {
    const copy = response.clone();
    caches.open(SHELL_CACHE).then((cache) => cache.put(request, copy));
  }
  return response;
}

function isPrivate(url) {
  return CONFIG.private.some((prefix) => url.pathname.startsWith(prefix));
}

// Pages: the network first, so the athlete sees what the server holds; the copy kept on
// this phone when the server can't be reached; the offline page when there is no copy.
async function openPage(event, url) {
  const network = fetch(event.request).then((response) => {
    if (!isPrivate(url) && isKeepable(response)) {
      event.waitUntil(keep(url.href, response.clone()));
    }
    return response;
  });
  network.catch(() => {}); // Handled below; this only keeps the console quiet.
  const slow = new Promise((resolve) => setTimeout(resolve, NETWORK_WAIT_MS, "slow"));
  try {
    const first = await Promise.race([network, slow]);
    if (first !== "slow") return first;
    const copy = await savedCopy(url.href);
    return copy || (await network);
  } catch {
    return (await savedCopy(url.href)) || offlinePage();
  }
}

function isKeepable(response) {
  return (
    response.ok &&
    response.type === "basic" &&
    (response.headers.get("Content-Type") || "").startsWith("text/html")
  );
}

async function offlinePage() {
  const page = await caches.match(CONFIG.offline, { cacheName: SHELL_CACHE });
  return page || new Response("You are offline.", { status: 503 });
}

async function currentOwner() {
  const state = await caches.open(STATE_CACHE);
  const stored = await state.match(OWNER_KEY);
  return stored ? stored.text() : "";
}

// Pages say whose they are (<meta name="footing-user">). When that changes, every other
// athlete's pages go, so a shared phone never shows one athlete's data to another.
async function setOwner(owner) {
  if ((await currentOwner()) === owner) return;
  for (const name of await caches.keys()) {
    if (name.startsWith(USER_PAGES) && name !== USER_PAGES + owner) await caches.delete(name);
  }
  const state = await caches.open(STATE_CACHE);
  await state.put(OWNER_KEY, new Response(owner));
}

async function keep(href, response) {
  const html = await response.text();
  const match = OWNER_PATTERN.exec(html);
  const owner = match ? match[1] : "";
  await setOwner(owner);
  const cache = await caches.open(owner ? USER_PAGES + owner : PUBLIC_PAGES);
  await cache.put(
    href,
    new Response(html, {
      headers: {
        "Content-Type": response.headers.get("Content-Type") || "text/html; charset=utf-8",
        "X-Footing-Saved-At": new Date().toISOString(),
      },
    }),
  );
}

// The page asks for this when it was opened before the worker took over, and after sets
// are saved, so the kept copy shows what the server holds.
async function remember(href) {
  const url = new URL(href, self.registration.scope);
  if (url.origin !== self.location.origin || isPrivate(url)) return;
  try {
    const response = await fetch(url.href, { credentials: "same-origin", cache: "no-store" });
    if (isKeepable(response) && !response.redirected) await keep(url.href, response);
  } catch {
    // Offline: the copy already kept stays.
  }
}

// A kept copy, marked so the page can say it is one and when it was saved.
async function savedCopy(href) {
  const owner = await currentOwner();
  const names = owner ? [USER_PAGES + owner, PUBLIC_PAGES] : [PUBLIC_PAGES];
  for (const name of names) {
    if (!(await caches.has(name))) continue;
    const kept = await (await caches.open(name)).match(href);
    if (!kept) continue;
    const savedAt = (kept.headers.get("X-Footing-Saved-At") || "").replace(/[^0-9TZ:.-]/g, "");
    const html = (await kept.text()).replace("<body", `<body data-offline-copy="${savedAt}"`);
    return new Response(html, { headers: { "Content-Type": "text/html; charset=utf-8" } });
  }
  return null;
}
