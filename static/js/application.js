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
    // htmx has already put focus back on the control that had it (the submit button, by its id);
    // that says nothing about what changed, so unless a component takes focus as it starts (an
    // error summary does), move focus to the region's heading.
    var focusedBefore = document.activeElement;
    frontend.initAll({ scope: region });
    // A region marked data-keep-focus (the agenda's Up and Down buttons) leaves focus where
    // htmx put it back, on the button just pressed, so that an item can be moved again.
    var keepFocus = region.hasAttribute("data-keep-focus") && region.contains(focusedBefore);
    if (document.activeElement === focusedBefore && !keepFocus) {
      var heading = region.querySelector("h2");
      if (heading) {
        heading.setAttribute("tabindex", "-1");
        heading.focus();
      }
    }
  });
})();
