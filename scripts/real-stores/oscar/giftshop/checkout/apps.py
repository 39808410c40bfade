"""oscar's checkout app, forked as oscar documents it, with a payment step that pays with oscar-accounts."""

import oscar.apps.checkout.apps as oscar_checkout


class CheckoutConfig(oscar_checkout.CheckoutConfig):
    name = "giftshop.checkout"
