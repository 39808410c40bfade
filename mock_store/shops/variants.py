"""Other shops, unlike the bundled store: their words, their checkout's shape, the overlays they show, how they fail.

Nothing here shares a test id, a word or a URL with the bundled store's profile: these shops are what a walk that
finds its own way is proven on (`probe check URL` with no profile).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

Checkout = Literal["multi", "single", "one-page"]
Fork = Literal["none", "guest", "no-guest"]
Credit = Literal["greyed", "selectable"]
Fault = Literal[
    "none", "no-gift", "stuck-cart", "sign-in-wall", "challenge", "address-refused", "closed", "order-first"
]

# The words each shop shows, by language. (German as German shops write it: "In den Warenkorb", "Zur Kasse",
# "Als Gast bestellen", "Guthaben"; the order button "Zahlungspflichtig bestellen" is the one German law asks for.)
WORDS: dict[str, dict[str, str]] = {
    "en": {
        "home": "Home",
        "gifts": "Presents & Vouchers",
        "kitchen": "Kitchenware",
        "garden": "Garden",
        "search": "Search the shop",
        "search_button": "Search",
        "no_results": "Nothing matched your search.",
        "results": "Search results",
        "basket": "Basket",
        "digital": "Digital Gift Card",
        "digital_blurb": "Sent by e-mail, ready the same day.",
        "printed": "Printed Gift Card",
        "printed_blurb": "Posted in an envelope.",
        "wrap": "Gift Wrap Set",
        "kettle": "Copper Kettle",
        "trowel": "Hand Trowel",
        "value": "Value",
        "recipient_email": "Recipient's e-mail",
        "recipient_name": "Recipient's name",
        "add": "Add to basket",
        "added": "Added to your basket",
        "needed": "Please fill in this field.",
        "empty": "Your basket is empty.",
        "to_checkout": "Go to checkout",
        "keep_shopping": "Keep shopping",
        "returning": "Returning customer",
        "password": "Password",
        "sign_in": "Sign in",
        "new_here": "New here?",
        "guest": "Continue as guest",
        "register": "Create an account",
        "contact": "Your e-mail",
        "email": "E-mail",
        "address": "Delivery address",
        "first": "First name",
        "last": "Last name",
        "street": "Street and number",
        "city": "Town",
        "postcode": "Postcode",
        "country": "Country",
        "phone": "Phone",
        "shipping": "Delivery",
        "standard": "Standard post (free)",
        "express": "Next-day courier ($6.00)",
        "next": "Next",
        "payment": "Payment",
        "card": "Credit or debit card",
        "paypal": "PayPal",
        "credit": "Store credit",
        "credit_balance": "$20.00 available",
        "credit_reason": "Store credit can't be used to buy gift cards.",
        "order": "Place order",
        "refused_postcode": "We cannot deliver to this postcode.",
        "closed": "Our checkout is closed for maintenance. Please call us to order.",
        "consent": "We use cookies to run this shop and, if you agree, to measure visits.",
        "accept": "Accept all",
        "necessary": "Necessary cookies only",
        "newsletter": "Get 10% off your first order",
        "subscribe": "Subscribe",
        "no_thanks": "No thanks",
        "close": "Close",
        "drawer": "Your basket",
        "sign_in_first": "Sign in to shop with us",
        "challenge": "Checking your browser before you enter. Verify you are human.",
        "total": "Total",
        "checkout": "Checkout",
        "loading": "Loading…",
        "choose": "Choose…",
        "to_payment": "Continue to payment",
    },
    "de": {
        "home": "Startseite",
        "gifts": "Geschenkideen",
        "kitchen": "Küche",
        "garden": "Garten",
        "search": "Im Shop suchen",
        "search_button": "Suchen",
        "no_results": "Keine Treffer für Ihre Suche.",
        "results": "Suchergebnisse",
        "basket": "Warenkorb",
        "digital": "Geschenkgutschein per E-Mail",
        "digital_blurb": "Kommt sofort per E-Mail.",
        "printed": "Geschenkgutschein per Post",
        "printed_blurb": "Gedruckt und verschickt.",
        "wrap": "Geschenkpapier",
        "kettle": "Wasserkessel",
        "trowel": "Pflanzschaufel",
        "value": "Betrag",
        "recipient_email": "E-Mail des Beschenkten",
        "recipient_name": "Name des Beschenkten",
        "add": "In den Warenkorb",
        "added": "Zum Warenkorb hinzugefügt",
        "needed": "Bitte füllen Sie dieses Feld aus.",
        "empty": "Ihr Warenkorb ist leer.",
        "to_checkout": "Zur Kasse",
        "keep_shopping": "Weiter einkaufen",
        "returning": "Ich bin bereits Kunde",
        "password": "Passwort",
        "sign_in": "Anmelden",
        "new_here": "Neu hier?",
        "guest": "Als Gast bestellen",
        "register": "Kundenkonto anlegen",
        "contact": "Ihre E-Mail-Adresse",
        "email": "E-Mail-Adresse",
        "address": "Lieferadresse",
        "first": "Vorname",
        "last": "Nachname",
        "street": "Straße und Hausnummer",
        "city": "Ort",
        "postcode": "PLZ",
        "country": "Land",
        "phone": "Telefon",
        "shipping": "Versandart",
        "standard": "Standardversand (kostenlos)",
        "express": "Expressversand (6,00 €)",
        "next": "Weiter",
        "payment": "Zahlungsart",
        "card": "Kreditkarte",
        "paypal": "PayPal",
        "credit": "Guthaben",
        "credit_balance": "20,00 € verfügbar",
        "credit_reason": "Guthaben kann nicht für Geschenkgutscheine verwendet werden.",
        "order": "Zahlungspflichtig bestellen",
        "refused_postcode": "An diese PLZ liefern wir nicht.",
        "closed": "Die Kasse ist wegen Wartung geschlossen.",
        "consent": "Wir verwenden Cookies für den Betrieb des Shops und, mit Ihrer Zustimmung, für Statistik.",
        "accept": "Alle akzeptieren",
        "necessary": "Nur notwendige Cookies",
        "newsletter": "10 % Rabatt auf Ihre erste Bestellung",
        "subscribe": "Abonnieren",
        "no_thanks": "Nein, danke",
        "close": "Schließen",
        "drawer": "Ihr Warenkorb",
        "sign_in_first": "Bitte melden Sie sich an",
        "challenge": "Wir prüfen Ihren Browser. Bestätigen Sie, dass Sie ein Mensch sind.",
        "total": "Summe",
        "checkout": "Kasse",
        "loading": "Wird geladen…",
        "choose": "Bitte wählen…",
        "to_payment": "Weiter zur Zahlung",
    },
}


@dataclass(frozen=True)
class Variant:
    """One shop: its language, its checkout's shape, the overlays it shows, the one way it fails (if any)."""

    name: str
    title: str
    lang: str = "en"
    currency: str = "$"
    checkout: Checkout = "multi"
    fork: Fork = "none"
    consent: bool = False
    newsletter: bool = False
    drawer: bool = False  # a mini-cart drawer opens on add to cart; the shop has no cart page link in its header
    recipient: bool = False  # the gift card needs a recipient's name and e-mail
    amount_radios: bool = False  # amounts as radio buttons instead of a drop-down
    labels: bool = True  # form fields carry labels (else only placeholders)
    credit: Credit = "greyed"
    # The store answers a second late: its cart drawer opens empty (a spinner and a Close) and fills when the add's
    # request returns; a one-page checkout's payment methods arrive by a request of their own.
    late: bool = False
    listbox: bool = False  # the country is a drop-down built of buttons (role=combobox, role=option), labelled "*"
    fault: Fault = "none"
    amounts: tuple[int, ...] = field(default=(20, 50, 100))

    @property
    def words(self) -> dict[str, str]:
        return WORDS[self.lang]

    def money(self, amount: int) -> str:
        return f"{amount},00 €" if self.currency == "€" else f"${amount}.00"


ATELIER = Variant("atelier", "Atelier Nord", consent=True, checkout="multi")
HARBOR = Variant(
    "harbor",
    "Harbor & Pine",
    newsletter=True,
    drawer=True,
    recipient=True,
    fork="guest",
    checkout="single",
    amount_radios=True,
    labels=False,
    credit="selectable",
)
KAUFHAUS = Variant(
    "kaufhaus", "Kaufhaus Linde", lang="de", currency="€", consent=True, recipient=True, fork="guest", checkout="multi"
)
# A one-page checkout as React storefronts build it (EverShop among them): the address, a button-built country
# drop-down, and the payment methods revealed on the same page once the address is saved; a cart drawer that fills late.
FJORD = Variant("fjord", "Fjord Supply", drawer=True, late=True, listbox=True, checkout="one-page")
# Each way a walk without a profile can fail, on a shop that is otherwise like Atelier Nord.
FAULTS: dict[str, Fault] = {
    "no-gift": "no-gift",
    "stuck-cart": "stuck-cart",
    "members": "sign-in-wall",
    "challenge": "challenge",
    "far-post": "address-refused",
    "closed": "closed",
    "order-first": "order-first",  # the delivery page's only way on is its order button; payment comes after it
}
VARIANTS: dict[str, Variant] = {
    **{v.name: v for v in (ATELIER, HARBOR, KAUFHAUS, FJORD)},
    **{name: replace(ATELIER, name=name, consent=False, fault=fault) for name, fault in FAULTS.items()},
    "no-guest": replace(ATELIER, name="no-guest", consent=False, fork="no-guest"),
}
# The shops a walk without a profile must get through, each with a hand-written profile beside the tests.
GOOD = ("atelier", "harbor", "kaufhaus", "fjord")
