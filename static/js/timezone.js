// Time zone selects: fill in the device's zone on sign-up, offer it on the profile.
// Works on any <select data-device-time-zone="fill|offer">; without JavaScript the select still works.

function deviceZone() {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || null;
  } catch {
    return null;
  }
}

function hasOption(select, value) {
  return Array.from(select.options).some((option) => option.value === value);
}

function fill(select, zone) {
  // Only replace the zone the page came with: never one the person picked.
  const initial = Array.from(select.options).find((option) => option.defaultSelected);
  if (!initial || select.value === initial.value) {
    select.value = zone;
  }
}

function offer(select, zone) {
  if (select.value === zone) return;
  const button = document.createElement("button");
  button.type = "button";
  button.className = "button";
  button.textContent = `Use this device's time zone (${zone.replaceAll("_", " ")})`;
  button.addEventListener("click", () => {
    select.value = zone;
    select.dispatchEvent(new Event("change", { bubbles: true }));
    button.remove();
    select.focus();
  });
  select.addEventListener("change", () => {
    if (select.value === zone) button.remove();
  });
  select.insertAdjacentElement("afterend", button);
}

function init() {
  const zone = deviceZone();
  if (!zone) return;
  for (const select of document.querySelectorAll("select[data-device-time-zone]")) {
    if (!hasOption(select, zone)) continue;
    if (select.dataset.deviceTimeZone === "fill") fill(select, zone);
    else if (select.dataset.deviceTimeZone === "offer") offer(select, zone);
  }
}

// Module scripts run after the document is parsed, so the form is already there.
init();
