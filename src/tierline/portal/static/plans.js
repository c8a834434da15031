// Plans: Total = Price × Quantity, asked from the server as the user types (the portal never
// computes money in the browser), and a cycle choice that shows its prices at once.
(function () {
  "use strict";
  var timers = {};
  function update(input) {
    var row = input.getAttribute("data-row");
    var tr = document.querySelector('tr[data-edition="' + row + '"]');
    var total = tr.querySelector('[data-cell="total"]');
    var price = tr.querySelector('[data-cell="price"]');
    if (!input.value || !input.checkValidity()) { total.textContent = "—"; return; }
    fetch(input.getAttribute("data-quote") + "&quantity=" + encodeURIComponent(input.value),
          {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (!data.ok) { total.textContent = "—"; total.title = data.message; return; }
        total.title = "";
        total.textContent = data.total;
        if (data.price && price.getAttribute("data-template")) {
          price.textContent = price.getAttribute("data-template").replace("{amount}", data.price);
        }
        tr.setAttribute("data-quoted", input.value);
      });
  }
  document.querySelectorAll("input[data-quote]").forEach(function (input) {
    input.addEventListener("input", function () {
      var key = input.getAttribute("data-row");
      clearTimeout(timers[key]);
      timers[key] = setTimeout(function () { update(input); }, 150);
    });
  });
  // The quantity above the table sets every row as it is typed, each within its edition's
  // bounds; a row that cannot take it says so.
  function setAll(value) {
    document.querySelectorAll("input[data-quote]").forEach(function (input) {
      var wanted = parseInt(value, 10);
      var note = document.getElementById("note-" + input.getAttribute("data-row"));
      if (isNaN(wanted)) { return; }
      var min = parseInt(input.min, 10), max = parseInt(input.max, 10);
      var text = "";
      if (!isNaN(min) && wanted < min) { wanted = min; text = note.getAttribute("data-below"); }
      if (!isNaN(max) && wanted > max) { wanted = max; text = note.getAttribute("data-above"); }
      note.textContent = text;
      note.hidden = !text;
      // A fixed quantity (minimum = maximum) keeps its value; its note still follows the box.
      if (!input.readOnly && String(wanted) !== input.value) {
        input.value = String(wanted);
        update(input);
      }
    });
  }
  document.querySelectorAll("input[data-quantity-all]").forEach(function (all) {
    all.addEventListener("input", function () {
      clearTimeout(timers.all);
      timers.all = setTimeout(function () { setAll(all.value); }, 150);
    });
  });
  document.querySelectorAll("input[data-autosubmit]").forEach(function (radio) {
    radio.addEventListener("change", function () { radio.form.submit(); });
  });
})();
