"""The payment step's own save: a checkout page that stores the chosen method, code or amount, not the order.

Many checkouts take the payment choice on one page and place the order on a later review page (django-oscar
payment-details -> preview, Spree/Solidus update/payment -> update/confirm, OpenMage savePayment -> saveOrder, Sylius
select-payment -> complete, Zen Cart checkout_payment -> checkout_confirmation -> checkout_process). The general word
rules would take `POST …/checkout/payment` for an order; this module tells that save apart, and only ever lets it
through when the page that sent it shows a review step still to come.
"""

from __future__ import annotations

from probe.safety.order_body import Speech, id_like, words

# Words a payment step's last path segment is made of: payment, payment-details, select-payment, savePayment,
# checkout_payment, payment-method. "payments" (a collection: POST /payments creates one) is not among them.
STEP_WORDS = frozenset(
    {
        "payment", "details", "detail", "method", "methods", "select", "selection", "save", "set", "choose",
        "update", "step", "option", "options", "info", "checkout", "onepage", "choice",
    }
)  # fmt: skip
# Words of a path (or routing parameter) that place the step inside a checkout.
CHECKOUT_WORDS = frozenset({"checkout", "onepage", "checkouts", "kasse", "commande"})
# Field-name words that carry the choice a payment step saves: a method, a code, an amount, a credit.
CHOICE_WORDS = frozenset(
    {
        "payment", "method", "code", "amount", "gateway", "provider", "option", "source", "voucher", "coupon",
        "giftcard", "gift", "credit", "redeem", "balance", "wallet", "card", "gv", "points",
    }
)  # fmt: skip
# Field-name words of a card's secrets: a body carrying them to an unknown store's payment path may take the payment.
CARD_SECRET_WORDS = frozenset({"cvv", "cvc", "cvv2", "cvc2", "cid", "csc", "expiry", "expiration", "exp"})


def step_segment(speech: Speech) -> str | None:
    """The payment-step segment a request is sent to (`payment`, `select-payment`…) inside a checkout, or None."""
    for segment in speech.segments:
        pieces = [p for p in segment.replace("|", "/").replace(".", "/").strip("/").split("/") if not id_like(p)]
        if not pieces:
            continue
        last = words(pieces[-1])
        if "payment" not in last or not set(last) <= STEP_WORDS:
            continue
        if CHECKOUT_WORDS & {w for piece in pieces for w in words(piece)}:
            return pieces[-1]
    return None


def carries_choice(speech: Speech) -> bool:
    """True when the body names a method, code or amount, and no card secrets (CVC, expiry)."""
    keys = [set(words(key)) for key, _ in speech.fields]
    if any(k & CARD_SECRET_WORDS for k in keys):
        return False
    return any(k & CHOICE_WORDS for k in keys)
