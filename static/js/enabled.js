// Marks the page as scripted before it paints, as GOV.UK Frontend expects (no inline script: CSP).
document.body.classList.add("js-enabled");
if ("noModule" in HTMLScriptElement.prototype) {
  document.body.classList.add("govuk-frontend-supported");
}
