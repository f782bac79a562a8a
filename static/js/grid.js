// The data grid moves like a spreadsheet: Up and Down (and Enter, Shift+Enter) move along a
// column, Left and Right along a row once the caret is at the start or end of the text (or the
// whole figure is selected, as it is on arriving in a cell). Tab works as it does everywhere.
// Saving is htmx's: each input posts itself on "change", that is as it is left.
(function () {
  "use strict";

  var valueOnArrival = new WeakMap();

  function isCell(element) {
    return element instanceof HTMLInputElement && element.hasAttribute("data-grid-cell");
  }

  function inputIn(cell) {
    return cell ? cell.querySelector("input[data-grid-cell]") : null;
  }

  // The next cell with an input, `rowStep` rows down or `columnStep` columns across.
  function neighbour(input, rowStep, columnStep) {
    var cell = input.closest("td");
    var row = cell.parentElement;
    var column = Array.prototype.indexOf.call(row.children, cell);
    var found = null;
    if (columnStep) {
      for (var c = column + columnStep; !found && c >= 0 && c < row.children.length; c += columnStep) {
        found = inputIn(row.children[c]);
      }
      return found;
    }
    var rows = row.parentElement.rows;
    for (var r = row.sectionRowIndex + rowStep; !found && r >= 0 && r < rows.length; r += rowStep) {
      found = inputIn(rows[r].children[column]);
    }
    return found;
  }

  function caretAtStart(input) {
    var length = input.value.length;
    return input.selectionStart === 0 && (input.selectionEnd === 0 || input.selectionEnd === length);
  }

  function caretAtEnd(input) {
    var length = input.value.length;
    return input.selectionEnd === length && (input.selectionStart === length || input.selectionStart === 0);
  }

  // A refused figure stays in view with its message: scrolled to within its table, clear of
  // the frozen indicator column (the region's scroll-padding), without moving the page more
  // than it must.
  function keepInView(cell) {
    cell.scrollIntoView({ block: "nearest", inline: "nearest" });
  }

  // Open each table at its latest periods (the window ends there, and the oldest are a scroll
  // away), or, when the page comes back with refused figures, at the first of them.
  Array.prototype.forEach.call(document.querySelectorAll(".app-grid"), function (region) {
    var refused = region.querySelector(".app-grid__cell--error");
    if (refused) {
      keepInView(refused);
    } else {
      region.scrollLeft = region.scrollWidth;
    }
  });

  // A cell that htmx swaps back refused (a bad value, or someone saved first) is kept in view
  // once the swap has settled, wherever focus has gone meanwhile.
  document.body.addEventListener("htmx:afterSettle", function (event) {
    var swapped = event.detail.elt;
    if (!(swapped instanceof HTMLElement) || !swapped.isConnected) {
      return;
    }
    var cell = swapped.closest(".app-grid__cell--error");
    if (cell) {
      keepInView(cell);
    }
  });

  document.addEventListener("focusin", function (event) {
    if (isCell(event.target)) {
      valueOnArrival.set(event.target, event.target.value);
    }
  });

  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (!isCell(input) || event.altKey || event.ctrlKey || event.metaKey || event.isComposing) {
      return;
    }
    var target = null;
    var selectAll = true;
    switch (event.key) {
      case "ArrowUp":
        target = neighbour(input, -1, 0);
        break;
      case "ArrowDown":
        target = neighbour(input, 1, 0);
        break;
      case "Enter":
        // Never post the whole grid from a cell. A figure refused because someone saved first
        // is saved again on Enter, knowingly, even if it was not retyped (leaving it would not
        // fire "change").
        event.preventDefault();
        if (input.hasAttribute("data-grid-unsaved") && input.value === valueOnArrival.get(input)) {
          input.dispatchEvent(new Event("change", { bubbles: true }));
        }
        target = neighbour(input, event.shiftKey ? -1 : 1, 0);
        break;
      case "ArrowLeft":
        if (caretAtStart(input)) {
          target = neighbour(input, 0, -1);
          selectAll = false;
        }
        break;
      case "ArrowRight":
        if (caretAtEnd(input)) {
          target = neighbour(input, 0, 1);
          selectAll = false;
        }
        break;
      default:
        return;
    }
    if (!target) {
      return;
    }
    event.preventDefault();
    target.focus();
    if (selectAll) {
      target.select();
    } else {
      // Moving right, the caret lands at the end (moving left, at the start), so that the same
      // key moves on again.
      var at = event.key === "ArrowRight" ? target.value.length : 0;
      target.setSelectionRange(at, at);
    }
  });
})();
