// Once a passkey is set up (django-otp-webauthn's own script signals it), go on
// to the page that shows the recovery codes. The address is on the page.
const added = document.getElementById("passkey-added");
if (added) {
  document.addEventListener("otp_webauthn.register_complete", () => {
    window.location.assign(added.dataset.url);
  });
}
