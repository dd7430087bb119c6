// Starts GOV.UK Frontend's components, and the idle time-out warning. Every
// page works without it.
import { initAll } from "./govuk-frontend.min.js";
import { startTimeOutWarning } from "./timeout.js";

initAll();
startTimeOutWarning(document.getElementById("time-out"));
