// The installable app, on every page: registers the service worker, says plainly when the
// phone is offline or showing a copy kept on it, and makes forms that need the server say so
// instead of failing silently. New sets are kept and sent by outbox.js.

const body = document.body;
const banner = document.querySelector("[data-offline-banner]");
const signedIn = Boolean(document.querySelector('meta[name="footing-user"]')?.content);
// The service worker marks a page it served from its kept copy with the time it was saved.
const offlineCopy = body.dataset.offlineCopy;
let reachedAgain = false;

function savedWhen(iso) {
  const saved = new Date(iso);
  if (!iso || Number.isNaN(saved.getTime())) return "";
  const time = saved.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  if (saved.toDateString() === new Date().toDateString()) return ` at ${time}`;
  return ` on ${saved.toLocaleDateString([], { day: "numeric", month: "short" })} at ${time}`;
}

function showBanner() {
  if (!banner) return;
  const copy = offlineCopy !== undefined
    ? `This is the copy of this page kept on this phone${savedWhen(offlineCopy)}. `
    : "";
  let text = "";
  if (navigator.onLine === false) {
    text = `You are offline. ${copy}${
      signedIn
        ? "Sets you log are saved on this phone and sent when the connection is back."
        : "Pages you opened before still work."
    }`;
  } else if (offlineCopy !== undefined && reachedAgain) {
    text = "Footing can be reached again. Reload the page to see the latest.";
  } else if (offlineCopy !== undefined) {
    text = `Footing can't be reached right now. ${copy}`;
  }
  banner.textContent = text.trim();
  banner.hidden = !text;
}

window.addEventListener("online", showBanner);
window.addEventListener("offline", showBanner);
showBanner();

// --- The service worker --------------------------------------------------------------

async function remember(url) {
  if (!("serviceWorker" in navigator)) return;
  const registration = await navigator.serviceWorker.ready;
  registration.active?.postMessage({ type: "remember", url });
}

async function registerWorker() {
  const script = body.dataset.serviceWorker;
  if (!script || !("serviceWorker" in navigator)) return;
  const alreadyControlled = Boolean(navigator.serviceWorker.controller);
  try {
    await navigator.serviceWorker.register(script, { scope: body.dataset.serviceWorkerScope });
  } catch {
    // No service worker here (plain HTTP on a LAN address, private mode): online use is unchanged.
    return;
  }
  // This page came from the network before the worker was in charge: keep a copy now.
  if (!alreadyControlled && offlineCopy === undefined) remember(window.location.href);
}

registerWorker();

// After something is saved, refresh the kept copy so it shows what the server holds.
let refreshTimer = null;
function refreshKeptCopy() {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => remember(window.location.href), 300);
}
document.addEventListener("footing:sets-sent", () => {
  reachedAgain = true;
  showBanner();
  refreshKeptCopy();
});

// --- Forms that need the server ----------------------------------------------------------

function showFailure(form, text) {
  let note = form.querySelector(":scope > [data-send-failure]");
  if (!note) {
    note = document.createElement("p");
    note.className = "errorlist send-failure";
    note.setAttribute("role", "alert");
    note.dataset.sendFailure = "";
    form.prepend(note);
  }
  note.textContent = text;
}

function clearFailure(form) {
  form?.querySelector(":scope > [data-send-failure]")?.remove();
}

// Offline, a plain form (finish, stop, notes, edit, undo) would end on the browser's error
// page; say why instead. New sets are kept by outbox.js; logging out has its own message.
document.addEventListener(
  "submit",
  (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || navigator.onLine !== false) return;
    if (form.method !== "post" || form.matches("[data-outbox], [data-logout]")) return;
    event.preventDefault();
    event.stopPropagation();
    showFailure(form, "You are offline. This needs a connection: try again when you are back online.");
  },
  true,
);

function formOf(event) {
  const elt = event.detail.elt;
  return elt instanceof HTMLFormElement ? elt : elt.closest("form");
}

document.addEventListener("htmx:beforeRequest", (event) => clearFailure(formOf(event)));

document.addEventListener("htmx:sendError", (event) => {
  const form = formOf(event);
  if (form) showFailure(form, "Not saved: Footing can't be reached. Try again when you are back online.");
});

document.addEventListener("htmx:responseError", (event) => {
  const form = formOf(event);
  if (!form) return;
  const status = event.detail.xhr.status;
  showFailure(
    form,
    status === 403
      ? "Not saved: you are signed out. Log in again, then try again."
      : "Not saved: Footing had a problem. Try again in a moment.",
  );
});

// An expired sign-in answers htmx with the login page: never swap a whole page into a row.
document.addEventListener("htmx:beforeSwap", (event) => {
  const loginPath = body.dataset.loginUrl;
  const arrivedAt = event.detail.xhr.responseURL;
  if (!loginPath || !arrivedAt || new URL(arrivedAt).pathname !== loginPath) return;
  event.detail.shouldSwap = false;
  const form = formOf(event);
  if (form) showFailure(form, "Not saved: you are signed out. Log in again, then try again.");
});

document.addEventListener("htmx:afterRequest", (event) => {
  const config = event.detail.requestConfig;
  if (event.detail.successful && config?.verb === "post") refreshKeptCopy();
});
