"""Stripe: cards and SEPA Direct Debit, collected on Stripe's elements, charged off session."""

from tierline.payments.stripe.gateway import SIGNATURE_TOLERANCE, StripeGateway

__all__ = ["SIGNATURE_TOLERANCE", "StripeGateway"]
