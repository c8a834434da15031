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
  document.querySelectorAll("input[data-autosubmit]").forEach(function (radio) {
    radio.addEventListener("change", function () { radio.form.submit(); });
  });
})();
