// GOV.UK Frontend's components, started on the page and again on every region htmx swaps in,
// so that an error summary that arrives by htmx takes focus as it would on a full page load.
(function () {
  "use strict";
  var frontend = window.GOVUKFrontend;
  if (!frontend) {
    return;
  }
  frontend.initAll();

  document.body.addEventListener("htmx:afterSettle", function (event) {
    var region = event.detail.elt;
    if (!(region instanceof HTMLElement) || !region.isConnected) {
      return;
    }
    frontend.initAll({ scope: region });
    // If nothing inside took focus (an error summary does), move focus to the region's heading.
    if (!region.contains(document.activeElement)) {
      var heading = region.querySelector("h2");
      if (heading) {
        heading.setAttribute("tabindex", "-1");
        heading.focus();
      }
    }
  });
})();
