"""Where an account has several subscriptions, each invoice and credit note line names the one it
bills or credits; with a single subscription the lines say nothing more."""

from __future__ import annotations

from test_pdf import a_credit_note, a_seller, an_account, an_invoice, pdf_text

from tierline.documents import render_credit_note, render_invoice


def test_an_invoice_line_names_its_subscription_when_one_is_given() -> None:
    text = pdf_text(
        render_invoice(an_invoice(), an_account(), a_seller(), "EUR", subscription="sub_packs")
    )

    assert "Professional edition Subscription Subscription: sub_packs" in text


def test_an_invoice_of_an_account_with_one_subscription_names_none() -> None:
    text = pdf_text(render_invoice(an_invoice(), an_account(), a_seller(), "EUR"))

    assert "Subscription:" not in text


def test_a_credit_note_line_names_its_subscription_in_the_readers_language() -> None:
    note = render_credit_note(
        a_credit_note(), an_account("fr"), a_seller(), "EUR", subscription="sub_packs"
    )

    assert "Abonnement : sub_packs" in pdf_text(note)
