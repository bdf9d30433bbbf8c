// The offline queue ("outbox"). Every new set is first kept on this phone, in IndexedDB, and
// then sent to the server in the order it was logged: straight away, on every page load, when
// the phone comes back online, when the athlete taps "Send now", and on a back-off timer while
// a page is open. It does not use Background Sync (Safari and Firefox lack it).
//
// A set keeps the UUID its form was drawn with (client_id) and the time the athlete tapped
// Log set (performed_at), so a set whose answer was lost is sent again and the server, which
// stores a UUID once, never doubles it.
//
// One record per set in the "outbox" store of the "footing" database:
//   seq        auto-increment key: the sending order
//   clientId   the set's UUID
//   user       whose set it is (the signed-in athlete's id); only they send or see it
//   url        where it is posted; page + row: the session page and the row it belongs to
//   fields     the form fields as sent (no CSRF token: the cookie's is read when sending)
//   summary    what the row shows while it waits, e.g. "L 20 s · R 18 s"
//   state      "pending" (to send), "refused" (the server said no: fix or discard), or
//              "sent" (kept a while with the server's row, so a copy of the session page
//              kept before it was sent still shows it logged)
//   message, html   the server's refusal and its row ("refused"), or its row ("sent")
//   queuedAt, attempts, sentAt

const DB_NAME = "footing";
const STORE = "outbox";
const RETRY_SECONDS = [2, 4, 8, 15, 30, 60];
const SEND_TIMEOUT_MS = 15000;
const SENT_KEPT_MS = 12 * 60 * 60 * 1000;

const user = document.querySelector('meta[name="footing-user"]')?.content || "";
const loginPath = document.body.dataset.loginUrl || "";
const bar = document.querySelector("[data-outbox]");
const dialog = document.querySelector("[data-logout-dialog]");
// Set by the service worker when this page is its kept copy rather than the server's answer.
const isKeptCopy = document.body.dataset.offlineCopy !== undefined;

function unsent(item) {
  return item.state !== "sent";
}

// --- Storage -----------------------------------------------------------------------------

let database = null;

function opened() {
  database ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => {
      const store = request.result.createObjectStore(STORE, { keyPath: "seq", autoIncrement: true });
      store.createIndex("clientId", "clientId", { unique: true });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  return database;
}

function result(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function finished(transaction) {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error);
  });
}

async function store(mode) {
  const db = await opened();
  const transaction = db.transaction(STORE, mode);
  return [transaction.objectStore(STORE), transaction];
}

async function mine() {
  const [objects] = await store("readonly");
  return (await result(objects.getAll())).filter((item) => item.user === user);
}

// Only while it is still kept: a logout or a discard meanwhile must not bring it back.
async function update(item) {
  const [objects, transaction] = await store("readwrite");
  if (await result(objects.get(item.seq))) objects.put(item);
  await finished(transaction);
}

async function drop(seq) {
  const [objects, transaction] = await store("readwrite");
  objects.delete(seq);
  await finished(transaction);
}

// Keep a new set; a refused set for the same row (being fixed) makes way for it.
async function keep(item) {
  const [objects, transaction] = await store("readwrite");
  for (const old of await result(objects.getAll())) {
    const sameRow = old.user === item.user && old.page === item.page && old.row === item.row;
    if (old.clientId === item.clientId || (sameRow && old.state === "refused")) {
      objects.delete(old.seq);
    }
  }
  objects.add(item);
  await finished(transaction);
}

// Sent sets are only needed until the server's own page shows them.
async function pruneSent({ page, row } = {}) {
  const [objects, transaction] = await store("readwrite");
  const expired = Date.now() - SENT_KEPT_MS;
  for (const item of await result(objects.getAll())) {
    if (item.user !== user || item.state !== "sent") continue;
    const shown = item.page === page && (row === undefined || item.row === row);
    if (shown || Date.parse(item.sentAt) < expired) objects.delete(item.seq);
  }
  await finished(transaction);
}

async function dropAllMine() {
  const [objects, transaction] = await store("readwrite");
  for (const item of await result(objects.getAll())) {
    if (item.user === user) objects.delete(item.seq);
  }
  await finished(transaction);
}

// --- Words ---------------------------------------------------------------------------------

function sets(count) {
  return count === 1 ? "1 set" : `${count} sets`;
}

function capitalised(text) {
  return text[0].toUpperCase() + text.slice(1);
}

function summarise(form, data) {
  const seconds = form.dataset.timed === "1" ? " s" : "";
  const parts =
    form.dataset.perSide === "1"
      ? [`L ${data.get("left")}${seconds}`, `R ${data.get("right")}${seconds}`]
      : [`${data.get("value")}${seconds}`];
  if (data.get("load")) parts.push(`${data.get("load")} ${form.dataset.weightUnit || ""}`.trim());
  const level = form.querySelector('select[name="variation"]');
  if (level?.selectedOptions[0]) parts.push(level.selectedOptions[0].text.replace(/^\d+\.\s*/, ""));
  if (data.get("rpe")) parts.push(`effort ${data.get("rpe")}`);
  if (data.get("pain") && data.get("pain") !== "0") parts.push(`pain ${data.get("pain")}`);
  return parts.join(" · ");
}

// --- The set rows on the session page --------------------------------------------------------

function rowOf(item) {
  return item.page === window.location.pathname ? document.getElementById(item.row) : null;
}

function noteIn(row) {
  let note = row.querySelector("[data-outbox-note]");
  if (!note) {
    note = document.createElement("div");
    note.className = "outbox-note";
    note.dataset.outboxNote = "";
    note.setAttribute("role", "status");
    const head = row.querySelector(".set-head");
    if (head) head.after(note);
    else row.prepend(note);
  }
  return note;
}

function showWaiting(item, sending) {
  const row = rowOf(item);
  if (!row || row.classList.contains("is-logged")) return;
  row.classList.add("is-pending");
  row.classList.remove("is-refused");
  const form = row.querySelector("form[data-outbox]");
  if (form) form.hidden = true;
  const note = noteIn(row);
  note.replaceChildren();
  const text = document.createElement("p");
  text.textContent = sending
    ? `Sending: ${item.summary}`
    : `Saved on this phone, waiting to send: ${item.summary}`;
  note.append(text);
}

function parsedRow(html, id) {
  if (!html) return null;
  const template = document.createElement("template");
  template.innerHTML = html;
  const row = template.content.getElementById(id);
  return row?.classList.contains("set-row") ? row : null;
}

// Put the server's own row in place, wired up for htmx (Edit, Undo) like any swapped row.
function replaceRow(item, html) {
  const row = rowOf(item);
  if (!row || !parsedRow(html, item.row)) return null;
  if (window.htmx?.swap) {
    window.htmx.swap(row, html, { swapStyle: "outerHTML" });
  } else {
    row.replaceWith(parsedRow(html, item.row));
  }
  return document.getElementById(item.row);
}

function showRefused(item) {
  let row = rowOf(item);
  if (!row || row.classList.contains("is-logged")) return;
  // The server's row shows the athlete's numbers with its message next to the field.
  row = replaceRow(item, item.html) || row;
  row.classList.remove("is-pending");
  row.classList.add("is-refused");
  const form = row.querySelector("form[data-outbox]");
  if (form) {
    form.hidden = false;
    delete form.dataset.kept;
  }
  const note = noteIn(row);
  note.replaceChildren();
  const text = document.createElement("p");
  const shownInRow = row.querySelector(".errorlist") !== null;
  text.textContent = shownInRow
    ? "Not saved: the server did not accept this set. Fix it and tap Log set, or discard it."
    : `Not saved: ${item.message} Fix it and tap Log set, or discard it.`;
  const discard = document.createElement("button");
  discard.type = "button";
  discard.className = "button";
  discard.dataset.outboxDiscard = item.clientId;
  discard.textContent = "Discard this set";
  note.append(text, discard);
}

function showOnPage(items) {
  for (const item of items) {
    if (item.state === "refused") showRefused(item);
    else if (item.state === "pending") showWaiting(item, false);
    else if (isKeptCopy && !rowOf(item)?.classList.contains("is-logged")) {
      replaceRow(item, item.html);
    }
  }
}

// --- Sending -------------------------------------------------------------------------------

// Over HTTPS the cookie is "__Host-csrftoken" (config/settings.py), on plain HTTP "csrftoken".
const CSRF_COOKIE_NAMES = ["__Host-csrftoken", "csrftoken"];

function csrfToken() {
  const cookies = document.cookie.split("; ");
  for (const name of CSRF_COOKIE_NAMES) {
    const cookie = cookies.find((part) => part.startsWith(`${name}=`));
    if (cookie) return decodeURIComponent(cookie.slice(name.length + 1));
  }
  try {
    return JSON.parse(document.body.getAttribute("hx-headers"))["x-csrftoken"];
  } catch {
    return "";
  }
}

function refusalMessage(html, status) {
  const template = document.createElement("template");
  template.innerHTML = html;
  const messages = [...template.content.querySelectorAll(".errorlist li")].map((li) =>
    li.textContent.trim(),
  );
  if (messages.length) return messages.join(" ");
  if (status === 404) return "This session is no longer on the server, so the set can't be saved.";
  return `The server did not accept this set (error ${status}).`;
}

// One attempt. The outcome is "sent", "refused" (retrying cannot help), "signed-out", or
// "unreachable" (no network, timeout, server down or failing: try again later).
async function send(item) {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), SEND_TIMEOUT_MS);
  try {
    const response = await fetch(item.url, {
      method: "POST",
      body: new URLSearchParams(item.fields),
      headers: { "HX-Request": "true", "X-CSRFToken": csrfToken() },
      credentials: "same-origin",
      cache: "no-store",
      signal: abort.signal,
    });
    const html = await response.text();
    if (response.redirected) {
      // To the login page: the sign-in expired. Anywhere else: a Wi-Fi sign-up page, say.
      const signedOut = new URL(response.url).pathname === loginPath;
      return { outcome: signedOut ? "signed-out" : "unreachable" };
    }
    if (response.status === 401 || response.status === 403) return { outcome: "signed-out" };
    if (response.ok) {
      // Only our server answers with the row, logged; anything else did not store the set.
      const row = parsedRow(html, item.row);
      return row?.classList.contains("is-logged")
        ? { outcome: "sent", html }
        : { outcome: "unreachable" };
    }
    if (response.status >= 500 || [408, 425, 429].includes(response.status)) {
      return { outcome: "unreachable" };
    }
    return { outcome: "refused", html, message: refusalMessage(html, response.status) };
  } catch {
    return { outcome: "unreachable" };
  } finally {
    clearTimeout(timer);
  }
}

let storageWorks = false;
let running = null;
let runAgain = false;
let sending = false;
let problem = null;
let retryStep = 0;
let retryTimer = null;

function scheduleRetry() {
  clearTimeout(retryTimer);
  const seconds = RETRY_SECONDS[Math.min(retryStep, RETRY_SECONDS.length - 1)];
  retryStep += 1;
  // A little jitter, so phones coming back together do not all knock at once.
  retryTimer = setTimeout(flush, seconds * 1000 * (0.8 + Math.random() * 0.4));
}

async function sendInOrder() {
  const waiting = (await mine()).filter((item) => item.state === "pending");
  problem = null;
  if (!waiting.length) return;
  sending = true;
  await render();
  let sent = 0;
  for (const item of waiting) {
    showWaiting(item, true);
    const answer = await send(item);
    if (answer.outcome === "sent") {
      Object.assign(item, { state: "sent", html: answer.html, sentAt: new Date().toISOString() });
      await update(item);
      replaceRow(item, answer.html);
      sent += 1;
    } else if (answer.outcome === "refused") {
      Object.assign(item, { state: "refused", message: answer.message, html: answer.html });
      await update(item);
      showRefused(item);
    } else {
      // Stop here: the sets after this one wait, so they still arrive in order.
      problem = answer.outcome;
      item.attempts = (item.attempts || 0) + 1;
      await update(item);
      break;
    }
  }
  sending = false;
  for (const item of await mine()) if (item.state === "pending") showWaiting(item, false);
  if (sent) {
    retryStep = 0;
    document.dispatchEvent(new CustomEvent("footing:sets-sent", { detail: { count: sent } }));
  }
  if (problem === "unreachable") scheduleRetry();
}

// Send what is waiting; at most one run at a time, and across tabs one at a time too.
function flush() {
  if (!storageWorks) return Promise.resolve();
  if (running) {
    runAgain = true;
    return running;
  }
  clearTimeout(retryTimer);
  running = (async () => {
    do {
      runAgain = false;
      try {
        await (navigator.locks ? navigator.locks.request("footing-outbox", sendInOrder) : sendInOrder());
      } catch {
        sending = false;
      }
    } while (runAgain);
    await render();
  })().finally(() => {
    running = null;
  });
  return running;
}

// --- The header: how many sets wait, and what to do about them ---------------------------------

async function render() {
  if (!bar) return;
  const items = storageWorks ? (await mine()).filter(unsent) : [];
  const waiting = items.filter((item) => item.state === "pending").length;
  const refused = items.filter((item) => item.state === "refused");
  const parts = [];
  if (waiting && problem === "signed-out") {
    parts.push(`You are signed out. Log in again to send the ${sets(waiting)} saved on this phone.`);
  } else if (waiting && sending) {
    parts.push(`Sending ${sets(waiting)}…`);
  } else if (waiting) {
    parts.push(`${capitalised(sets(waiting))} saved on this phone, waiting to send.`);
    if (problem === "unreachable") parts.push("Footing can't be reached; trying again shortly.");
  }
  const here = refused.some((item) => item.page === window.location.pathname);
  if (refused.length) {
    const them = refused.length === 1 ? "it" : "them";
    parts.push(
      `${capitalised(sets(refused.length))} not accepted: fix or discard ${them} ${
        here ? "below" : "on the session page"
      }.`,
    );
  }
  bar.querySelector("[data-outbox-text]").textContent = parts.join(" ");
  bar.hidden = parts.length === 0;
  bar.querySelector("[data-outbox-send]").hidden = !waiting || problem === "signed-out";
  const login = bar.querySelector("[data-outbox-login]");
  login.hidden = !(waiting && problem === "signed-out");
  login.href = `${loginPath}?next=${encodeURIComponent(window.location.pathname)}`;
  const review = bar.querySelector("[data-outbox-review]");
  review.hidden = !refused.length || here;
  if (refused.length) review.href = `${refused[0].page}#${refused[0].row}`;
}

// --- Logging a set -------------------------------------------------------------------------

async function keepForm(form) {
  const data = new FormData(form);
  data.delete("csrfmiddlewaretoken");
  // The time on the phone when the athlete tapped Log set, not when the set arrives.
  if (!data.get("performed_at")) data.set("performed_at", new Date().toISOString());
  const row = form.closest(".set-row");
  const item = {
    clientId: data.get("client_id"),
    user,
    url: new URL(form.action, window.location.href).pathname,
    page: window.location.pathname,
    row: row.id,
    fields: Object.fromEntries(data),
    summary: summarise(form, data),
    queuedAt: new Date().toISOString(),
    attempts: 0,
    state: "pending",
  };
  try {
    await keep(item);
  } catch {
    // This phone would not keep it (storage full?): send it the ordinary way instead.
    delete form.dataset.kept;
    form.removeAttribute("data-outbox");
    form.requestSubmit();
    return;
  }
  row.querySelector(".errorlist")?.remove();
  showWaiting(item, true);
  row.dispatchEvent(new CustomEvent("footing:set-kept", { bubbles: true }));
  flush();
}

document.addEventListener(
  "submit",
  (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.matches("form[data-outbox]")) return;
    if (!storageWorks) return; // No IndexedDB here: htmx sends it as before, online only.
    // Before htmx sees it: this capture listener on the document runs first.
    event.preventDefault();
    event.stopPropagation();
    if (form.dataset.kept) return; // A double tap.
    form.dataset.kept = "1";
    keepForm(form);
  },
  true,
);

document.addEventListener("click", async (event) => {
  const discard = event.target.closest("[data-outbox-discard]");
  if (!discard) return;
  const item = (await mine()).find((kept) => kept.clientId === discard.dataset.outboxDiscard);
  if (item) await drop(item.seq);
  const row = discard.closest(".set-row");
  row?.classList.remove("is-refused");
  row?.querySelectorAll(".errorlist").forEach((list) => list.remove());
  discard.closest("[data-outbox-note]")?.remove();
  await render();
});

bar?.querySelector("[data-outbox-send]").addEventListener("click", () => {
  retryStep = 0;
  flush();
});

window.addEventListener("online", () => {
  retryStep = 0;
  flush();
});

document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible") flush();
});

// --- Logging out: nothing of this athlete's is left on a shared phone ------------------------

function ask(text, { canLogOut }) {
  dialog.querySelector("[data-logout-text]").textContent = text;
  dialog.querySelector("[data-logout-confirm]").hidden = !canLogOut;
  dialog.querySelector("[data-logout-cancel]").textContent = canLogOut
    ? "Stay logged in"
    : "Close";
  return new Promise((resolve) => {
    dialog.returnValue = "";
    dialog.addEventListener("close", () => resolve(dialog.returnValue === "logout"), {
      once: true,
    });
    dialog.showModal();
  });
}

async function forgetThisAthlete() {
  try {
    await dropAllMine();
  } catch {
    // No storage here, so nothing was kept.
  }
  if ("caches" in window) {
    for (const name of await caches.keys()) {
      if (name.startsWith("footing-pages-user-") || name === "footing-state") {
        await caches.delete(name);
      }
    }
  }
}

async function logOut(form) {
  const waiting = storageWorks ? (await mine().catch(() => [])).filter(unsent) : [];
  const canAsk = typeof dialog?.showModal === "function";
  if (navigator.onLine === false) {
    const text =
      "You are offline, so you can't log out right now. Try again when you are back online." +
      (waiting.length ? ` Your ${sets(waiting.length)} not sent yet stay on this phone.` : "");
    if (canAsk) await ask(text, { canLogOut: false });
    return;
  }
  if (waiting.length) {
    const one = waiting.length === 1;
    const text =
      `${capitalised(sets(waiting.length))} ${one ? "is" : "are"} saved only on ` +
      `this phone and not sent to Footing yet. If you log out now, ` +
      `${one ? "it is" : "they are"} deleted from this phone.`;
    // A plain confirm is the fallback where <dialog> is missing.
    const agreed = canAsk ? await ask(text, { canLogOut: true }) : window.confirm(text);
    if (!agreed) return;
  }
  await forgetThisAthlete();
  form.submit();
}

document.addEventListener(
  "submit",
  (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.matches("form[data-logout]")) return;
    event.preventDefault();
    logOut(form);
  },
  true,
);

// --- Finishing or stopping a session: its sets first ----------------------------------------
// A set arriving after its session is finished would be refused, so send them first.

function finishNote(form, text) {
  let note = form.querySelector(":scope > [data-finish-note]");
  if (!note) {
    note = document.createElement("p");
    note.className = "errorlist";
    note.setAttribute("role", "alert");
    note.dataset.finishNote = "";
    form.prepend(note);
  }
  note.textContent = text;
}

async function finishAfterSending(form) {
  await flush();
  const left = (await mine()).filter(
    (item) => unsent(item) && item.page === window.location.pathname,
  );
  if (!left.length) {
    form.dataset.setsSent = "1";
    form.requestSubmit();
    return;
  }
  const refused = left.some((item) => item.state === "refused");
  finishNote(
    form,
    refused
      ? `Not yet: ${sets(left.length)} of this session ${left.length === 1 ? "is" : "are"} not saved. Fix or discard ${left.length === 1 ? "it" : "them"} first.`
      : `Not yet: ${sets(left.length)} of this session ${left.length === 1 ? "is" : "are"} still waiting to send. Try again once ${left.length === 1 ? "it has" : "they have"} been sent.`,
  );
}

document.addEventListener(
  "submit",
  (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.matches("form[data-sends-sets-first]")) return;
    // Offline, pwa.js has already stopped it with its own message.
    if (!storageWorks || form.dataset.setsSent || event.defaultPrevented) return;
    event.preventDefault();
    event.stopPropagation();
    finishAfterSending(form);
  },
  true,
);

// An edit or undo on a row makes the server's page the truth for it again.
document.addEventListener("htmx:afterRequest", (event) => {
  const row = event.detail.target;
  if (event.detail.successful && storageWorks && row?.id) {
    pruneSent({ page: window.location.pathname, row: row.id }).catch(() => {});
  }
});

// --- Start: show what waits, then send it --------------------------------------------------

opened()
  .then(async () => {
    storageWorks = true;
    showOnPage((await mine()).filter((item) => item.page === window.location.pathname));
    // A page from the server already shows every set sent from it.
    await pruneSent({ page: isKeptCopy ? null : window.location.pathname });
    await flush();
  })
  .catch(() => render());
