// The idle time-out warning (the GOV.UK "timeout warning" pattern).
//
// Two minutes before the session would end, a modal dialog says so and offers
// to stay signed in. Before it opens, the server is asked how long is left
// (asking is not activity), so work in another tab keeps this one quiet. The
// visible countdown changes every second; screen readers are told every 30
// seconds, not every second. Escape, like the button, keeps the session.
// When time runs out the dialog says so and what happens to typed text (it is
// kept: scr_tracker/accounts/kept_input.py). Without JavaScript nothing
// here runs, and the typed text is still kept.

function spoken(seconds) {
  if (seconds >= 60) {
    const minutes = Math.ceil(seconds / 60);
    return minutes === 1 ? "1 minute" : `${minutes} minutes`;
  }
  return seconds === 1 ? "1 second" : `${seconds} seconds`;
}

export function startTimeOutWarning(dialog) {
  if (!dialog || typeof dialog.showModal !== "function") return;
  const warnMs = Number(dialog.dataset.warn) * 1000;
  const form = dialog.querySelector("form");
  const count = dialog.querySelector("[data-count]");
  const announce = dialog.querySelector("[data-announce]");
  let deadline = Date.now() + Number(dialog.dataset.expiresIn) * 1000;
  let waiting = null;
  let ticking = null;
  let returnFocusTo = null;

  function schedule() {
    clearTimeout(waiting);
    waiting = setTimeout(check, Math.max(0, deadline - warnMs - Date.now()));
  }

  async function check() {
    try {
      const answer = await fetch(dialog.dataset.check, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        redirect: "manual",
      });
      if (answer.type === "opaqueredirect" || !answer.ok) return signedOut();
      deadline = Date.now() + (await answer.json()).expires_in * 1000;
    } catch {
      // No answer (offline): go by this page's own clock.
    }
    if (deadline - Date.now() > warnMs + 1000) return schedule();
    warn();
  }

  function warn() {
    if (!dialog.open) {
      returnFocusTo = document.activeElement;
      dialog.showModal();
    }
    tick(true);
  }

  function tick(first) {
    clearTimeout(ticking);
    const left = Math.round((deadline - Date.now()) / 1000);
    if (left <= 0) return signedOut();
    count.textContent = spoken(left);
    if (first || left % 30 === 0) {
      announce.textContent = `You will be signed out in ${spoken(left)}.`;
    }
    ticking = setTimeout(() => tick(false), 1000);
  }

  async function stay() {
    clearTimeout(ticking);
    try {
      const answer = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        redirect: "manual",
      });
      if (answer.type === "opaqueredirect" || !answer.ok) return signedOut();
      deadline = Date.now() + (await answer.json()).expires_in * 1000;
    } catch {
      return tick(false);
    }
    dialog.close();
    if (returnFocusTo && typeof returnFocusTo.focus === "function") returnFocusTo.focus();
    schedule();
  }

  function signedOut() {
    clearTimeout(waiting);
    clearTimeout(ticking);
    dialog.querySelector("[data-warning]").hidden = true;
    const gone = dialog.querySelector("[data-signed-out]");
    gone.hidden = false;
    if (!dialog.open) {
      returnFocusTo = document.activeElement;
      dialog.showModal();
    }
    gone.querySelector("h2").focus();
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    stay();
  });
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    if (dialog.querySelector("[data-signed-out]").hidden) stay();
    else closeSignedOut();
  });
  function closeSignedOut() {
    dialog.close();
    if (returnFocusTo && typeof returnFocusTo.focus === "function") returnFocusTo.focus();
  }
  dialog.querySelector("[data-close]").addEventListener("click", closeSignedOut);
  schedule();
}
