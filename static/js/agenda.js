// Drag an agenda row to reorder the agenda. The Up and Down buttons do the same by keyboard
// and without JavaScript; this only adds dragging, then sends the whole order through htmx
// (which carries the CSRF token from <body>) and swaps in the agenda the server returns.
(function () {
  "use strict";
  var dragged = null;

  function table() {
    return document.querySelector("table.app-agenda[data-order-url]");
  }

  function prepare() {
    var agenda = table();
    if (!agenda) {
      return;
    }
    agenda.querySelectorAll("tr.app-agenda__row").forEach(function (row) {
      row.setAttribute("draggable", "true");
      row.classList.add("app-agenda__row--draggable");
    });
  }

  document.addEventListener("dragstart", function (event) {
    var row = event.target.closest && event.target.closest("tr.app-agenda__row");
    if (!row || !table()) {
      return;
    }
    dragged = row;
    row.classList.add("app-agenda__row--dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", row.dataset.item);
  });

  document.addEventListener("dragover", function (event) {
    if (!dragged) {
      return;
    }
    var row = event.target.closest && event.target.closest("tr.app-agenda__row");
    if (!row || row === dragged || row.parentNode !== dragged.parentNode) {
      return;
    }
    event.preventDefault();
    var box = row.getBoundingClientRect();
    var after = event.clientY > box.top + box.height / 2;
    row.parentNode.insertBefore(dragged, after ? row.nextSibling : row);
  });

  document.addEventListener("drop", function (event) {
    if (dragged) {
      event.preventDefault();
    }
  });

  document.addEventListener("dragend", function () {
    if (!dragged) {
      return;
    }
    var agenda = table();
    dragged.classList.remove("app-agenda__row--dragging");
    dragged = null;
    var order = Array.prototype.map.call(
      agenda.querySelectorAll("tr.app-agenda__row"),
      function (row) { return row.dataset.item; }
    );
    window.htmx.ajax("POST", agenda.dataset.orderUrl, {
      target: "#agenda",
      swap: "outerHTML",
      values: { order: order.join(","), version: agenda.dataset.version }
    });
  });

  prepare();
  document.body.addEventListener("htmx:afterSettle", prepare);
})();
