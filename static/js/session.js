// The session page: steppers, the phone's own time on each set, the hold timer, the rest
// timer between rounds, and a screen that stays awake. Everything here improves forms that
// already work without JavaScript; outbox.js keeps and sends the sets.

const GET_READY_SECONDS = 3;

// Stamp each set with the moment it was logged on the phone, before htmx or the browser
// sends it (capture phase runs before htmx's own submit handler).
document.addEventListener(
  "submit",
  (event) => {
    const stamp = event.target.querySelector?.('input[name="performed_at"]');
    if (stamp) stamp.value = new Date().toISOString();
  },
  true,
);

document.addEventListener("click", (event) => {
  const step = event.target.closest("[data-step]");
  if (!step) return;
  const input = step.parentElement.querySelector('input[type="number"]');
  const next = (parseInt(input.value, 10) || 0) + parseInt(step.dataset.step, 10);
  const max = parseInt(input.max, 10);
  input.value = Math.max(0, Number.isNaN(max) ? next : Math.min(max, next));
  input.dispatchEvent(new Event("change", { bubbles: true }));
});

function beep() {
  try {
    const AudioCtx = window.AudioContext || window.webkitAudioContext;
    const ctx = new AudioCtx();
    const tone = ctx.createOscillator();
    tone.frequency.value = 880;
    tone.connect(ctx.destination);
    tone.start();
    tone.stop(ctx.currentTime + 0.25);
  } catch {
    // No audio allowed here: the vibration and the words on screen still say it.
  }
  navigator.vibrate?.([200, 100, 200]);
}

// One hold timer per form. Time comes from timestamps, never from counting ticks, so a
// tab the phone put in the background still records the right duration.
class HoldTimer {
  constructor(form) {
    this.form = form;
    this.root = form.querySelector("[data-timer]");
    this.panel = this.root.querySelector("[data-timer-panel]");
    this.clock = this.root.querySelector("[data-timer-clock]");
    this.status = this.root.querySelector("[data-timer-status]");
    this.sideLabel = this.root.querySelector("[data-timer-side]");
    this.nextButton = this.root.querySelector("[data-timer-next]");
    this.lostButton = this.root.querySelector("[data-timer-lost]");
    this.target = parseInt(form.dataset.target, 10) || 0;
    this.toFatigue = form.dataset.toFatigue === "1";
    this.sides = form.dataset.perSide === "1" ? ["left", "right"] : [null];
    this.frame = null;
  }

  start() {
    this.held = {};
    this.sideIndex = 0;
    this.panel.hidden = false;
    this.root.querySelector("[data-timer-start]").hidden = true;
    this.root.querySelector("[data-timer-cancel]").textContent = "Cancel timer";
    this.getReady();
  }

  get side() {
    return this.sides[this.sideIndex];
  }

  say(text) {
    this.status.textContent = text;
  }

  getReady() {
    this.phase = "ready";
    this.nextButton.hidden = true;
    this.lostButton.hidden = true;
    this.sideLabel.textContent = this.side ? `${this.side[0].toUpperCase()}${this.side.slice(1)} side` : "";
    this.readyUntil = performance.now() + GET_READY_SECONDS * 1000;
    this.say(`Get ready${this.side ? ` on your ${this.side} side` : ""}.`);
    this.tick();
  }

  hold() {
    this.phase = "hold";
    this.lostButton.hidden = false;
    this.lostButton.textContent = this.toFatigue ? "Stop" : "Lost balance";
    this.startedAt = performance.now();
    this.lastCue = null;
    this.say(this.toFatigue ? "Hold as long as you can." : `Hold for ${this.target} seconds.`);
    this.tick();
  }

  elapsed() {
    return Math.floor((performance.now() - this.startedAt) / 1000);
  }

  tick() {
    cancelAnimationFrame(this.frame);
    const now = performance.now();
    if (this.phase === "ready") {
      const left = Math.ceil((this.readyUntil - now) / 1000);
      this.clock.textContent = left > 0 ? left : "Go";
      if (left <= 0) return this.hold();
    } else if (this.phase === "hold") {
      const held = this.elapsed();
      if (!this.toFatigue && held >= this.target) return this.endHold(this.target, true);
      this.clock.textContent = this.toFatigue ? held : this.target - held;
      this.cue(held);
    } else {
      return undefined;
    }
    // requestAnimationFrame pauses in a background tab; a timeout keeps the end on time.
    this.frame = requestAnimationFrame(() => this.tick());
    clearTimeout(this.timeout);
    this.timeout = setTimeout(() => this.tick(), 250);
    return undefined;
  }

  // The clock is hidden from screen readers (it changes every second); the status line
  // speaks instead, only now and then: every 10 s, and 5 s before the end of a set hold.
  cue(held) {
    const left = this.target - held;
    let text = null;
    if (this.toFatigue) {
      if (held > 0 && held % 10 === 0) text = `${held} seconds.`;
    } else if (left > 0 && left < this.target && (left % 10 === 0 || left === 5)) {
      text = `${left} seconds left.`;
    }
    if (text && held !== this.lastCue) {
      this.lastCue = held;
      this.say(text);
    }
  }

  endHold(seconds, reachedTarget) {
    this.phase = "done";
    clearTimeout(this.timeout);
    this.held[this.side ?? "value"] = seconds;
    this.clock.textContent = seconds;
    this.lostButton.hidden = true;
    if (reachedTarget) beep();
    const input = this.form.querySelector(`input[name="${this.side ?? "value"}"]`);
    if (input) input.value = seconds;
    const done = reachedTarget ? `Hold done, ${seconds} seconds` : `Held ${seconds} s`;
    if (this.sideIndex < this.sides.length - 1) {
      this.say(`${done} on the ${this.side} side. Switch sides when ready.`);
      this.nextButton.hidden = false;
      this.nextButton.focus();
    } else {
      const summary = Object.entries(this.held)
        .map(([side, s]) => (side === "value" ? `${s} s` : `${s} s ${side}`))
        .join(", ");
      const prefix = reachedTarget && this.sides.length === 1 ? `Hold done, ${seconds} seconds` : `Held ${summary}`;
      this.say(`${prefix}. Tap Log set to save it.`);
      this.root.querySelector("[data-timer-cancel]").textContent = "Close timer";
      this.form.querySelector(".log-button")?.focus();
    }
  }

  lost() {
    if (this.phase === "hold") this.endHold(this.elapsed(), this.toFatigue);
  }

  nextSide() {
    this.sideIndex += 1;
    this.getReady();
  }

  cancel() {
    this.phase = "idle";
    clearTimeout(this.timeout);
    cancelAnimationFrame(this.frame);
    this.panel.hidden = true;
    this.root.querySelector("[data-timer-start]").hidden = false;
  }
}

const timers = new WeakMap();

function timerFor(element) {
  const form = element.closest("form");
  if (!timers.has(form)) timers.set(form, new HoldTimer(form));
  return timers.get(form);
}

document.addEventListener("click", (event) => {
  const target = event.target;
  if (target.closest("[data-timer-start]")) timerFor(target).start();
  else if (target.closest("[data-timer-lost]")) timerFor(target).lost();
  else if (target.closest("[data-timer-next]")) timerFor(target).nextSide();
  else if (target.closest("[data-timer-cancel]")) timerFor(target).cancel();
});

// Timers need JavaScript, so they show only once it runs, on the page and on new rows.
function revealTimers(root) {
  for (const timer of root.querySelectorAll("[data-timer][hidden]")) timer.hidden = false;
}
revealTimers(document);
document.body.addEventListener("htmx:load", (event) => revealTimers(event.detail.elt));

// --- The rest timer between rounds ----------------------------------------------------------
// Starts when the last set of a round of a circuit is logged (kept on the phone counts: the
// rest does not wait for the network), if the circuit has a rest time and another round.

const restPanel = document.querySelector("[data-rest-timer]");

function clockText(seconds) {
  const minutes = Math.floor(seconds / 60);
  return `${minutes}:${String(seconds % 60).padStart(2, "0")}`;
}

class RestTimer {
  constructor(panel) {
    this.panel = panel;
    this.title = panel.querySelector("[data-rest-title]");
    this.clock = panel.querySelector("[data-rest-clock]");
    this.status = panel.querySelector("[data-rest-status]");
    this.button = panel.querySelector("[data-rest-skip]");
    this.timeout = null;
  }

  start(seconds, nextRound, circuitName) {
    clearTimeout(this.timeout);
    this.endsAt = Date.now() + seconds * 1000;
    this.nextRound = nextRound;
    this.title.textContent = `Rest before round ${nextRound}`;
    this.status.textContent = `${circuitName}: rest ${clockText(seconds)}, then round ${nextRound}.`;
    this.button.textContent = "Skip rest";
    this.panel.hidden = false;
    document.body.classList.add("is-resting");
    this.tick();
  }

  // From the clock, not from counting ticks: a locked phone still rests the right time.
  tick() {
    const left = Math.max(0, Math.ceil((this.endsAt - Date.now()) / 1000));
    this.clock.textContent = clockText(left);
    if (left === 0) {
      this.status.textContent = `Rest over. Time for round ${this.nextRound}.`;
      this.button.textContent = "Close";
      beep();
      return;
    }
    this.timeout = setTimeout(() => this.tick(), 250);
  }

  stop() {
    clearTimeout(this.timeout);
    this.panel.hidden = true;
    document.body.classList.remove("is-resting");
  }
}

const restTimer = restPanel ? new RestTimer(restPanel) : null;
restPanel?.querySelector("[data-rest-skip]").addEventListener("click", () => restTimer.stop());

function isDone(row) {
  return row.classList.contains("is-logged") || row.classList.contains("is-pending");
}

function restAfter(row) {
  const circuit = row?.closest("[data-rest-seconds]");
  const round = row?.closest("[data-round]");
  if (!restTimer || !circuit || !round) return;
  const seconds = parseInt(circuit.dataset.restSeconds, 10) || 0;
  const number = parseInt(round.dataset.round, 10);
  if (seconds <= 0 || number >= parseInt(circuit.dataset.rounds, 10)) return;
  if (![...round.querySelectorAll(".set-row")].every(isDone)) return;
  // Already under way with the next round: no rest to count down.
  const next = circuit.querySelector(`[data-round="${number + 1}"]`);
  if (next && [...next.querySelectorAll(".set-row")].some(isDone)) return;
  restTimer.start(seconds, number + 1, circuit.dataset.circuitName);
}

// outbox.js says when a set is kept; without IndexedDB, htmx logs it and swaps the row.
document.addEventListener("footing:set-kept", (event) => restAfter(event.target));
document.body.addEventListener("htmx:afterRequest", (event) => {
  const form = event.detail.elt;
  if (!event.detail.successful || form.dataset?.kind !== "new") return;
  restAfter(document.getElementById(event.detail.target?.id));
});

// --- The screen stays awake while the session is open ------------------------------------------
// Screen Wake Lock where the browser has it; elsewhere, or when it is refused (battery saver),
// nothing happens. The browser lets go when the page is hidden, so take it again on return.

let wakeLock = null;

async function keepScreenOn() {
  if (!("wakeLock" in navigator) || document.visibilityState !== "visible") return;
  if (wakeLock && !wakeLock.released) return;
  try {
    wakeLock = await navigator.wakeLock.request("screen");
  } catch {
    wakeLock = null;
  }
}

keepScreenOn();
document.addEventListener("visibilitychange", keepScreenOn);
