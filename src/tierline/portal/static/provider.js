// The payment provider's elements (Stripe.js): a card or an IBAN typed into the provider's own
// fields and confirmed with the provider, and a payment the customer's bank asks them to
// authenticate. Tierline receives only the provider's reference, on the return page.
(function () {
  "use strict";

  function fail(box, button, error) {
    box.textContent = (error && error.message) || String(error);
    box.hidden = false;
    button.disabled = false;
  }

  var setup = document.getElementById("setup-form");
  if (setup) {
    var stripe = Stripe(setup.dataset.key);
    var elements = stripe.elements();
    var sepa = setup.dataset.kind === "sepa_debit";
    var element = sepa
      ? elements.create("iban", { supportedCountries: ["SEPA"] })
      : elements.create("card");
    element.mount(sepa ? "#iban-element" : "#card-element");
    setup.addEventListener("submit", async function (event) {
      event.preventDefault();
      var button = document.getElementById("setup-submit");
      var box = document.getElementById("setup-error");
      button.disabled = true;
      box.hidden = true;
      var result = sepa
        ? await stripe.confirmSepaDebitSetup(setup.dataset.secret, {
            payment_method: {
              sepa_debit: element,
              billing_details: { name: setup.holder.value, email: setup.email.value },
            },
          })
        : await stripe.confirmCardSetup(setup.dataset.secret, { payment_method: { card: element } });
      if (result.error) {
        fail(box, button, result.error);
        return;
      }
      window.location.assign(
        setup.dataset.return + "?setup_intent=" + encodeURIComponent(result.setupIntent.id)
      );
    });
  }

  var payment = document.getElementById("payment-form");
  if (payment) {
    var provider = Stripe(payment.dataset.key);
    payment.addEventListener("submit", async function (event) {
      event.preventDefault();
      var button = document.getElementById("payment-submit");
      var box = document.getElementById("payment-error");
      button.disabled = true;
      box.hidden = true;
      var data = payment.dataset.method ? { payment_method: payment.dataset.method } : undefined;
      var result = await provider.confirmCardPayment(payment.dataset.secret, data);
      if (result.error) {
        fail(box, button, result.error);
        return;
      }
      window.location.assign(payment.dataset.return);
    });
  }
})();
