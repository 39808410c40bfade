"""The knowledge a walk without a profile starts from, without a browser: fingerprints, recipes, words, fields."""

from __future__ import annotations

import pytest

from probe.discover.fingerprint import ask, identify
from probe.discover.form import identity, kind_of, option_for, text_for
from probe.discover.knowledge import fingerprints, recipes, says, search_words, vocabulary

PLATFORMS = {
    "Shopify",
    "WooCommerce",
    "Magento",
    "BigCommerce",
    "PrestaShop",
    "Shopware",
    "SFRA",
    "django-oscar",
    "Saleor",
    "Solidus/Spree",
    "Wix",
    "Squarespace",
    "Medusa",
    "Vendure",
    "OpenCart",
    "nopCommerce",
}


def test_every_platform_the_issue_names_has_fingerprints_with_sources() -> None:
    names = {p.name for p in fingerprints().platforms}
    assert names >= PLATFORMS
    for platform in fingerprints().platforms:
        assert all(s.source.strip() for s in platform.signals), platform.name
    assert all(r.source.strip() and r.platform in names for r in recipes().values())
    assert all(w.source.strip() for w in vocabulary().words.values())


@pytest.mark.parametrize(
    ("seen", "cookies", "platform"),
    [
        ({"metas": ["WooCommerce 9.6.1"]}, [], "WooCommerce"),
        ({"globals": ["Shopify"], "scripts": ["https://shop.example/cdn/shop/t/1/assets/global.js"]}, [], "Shopify"),
        ({}, ["oscar_open_basket"], "django-oscar"),
        ({}, ["OCSESSID"], "OpenCart"),
        ({"scripts": ["https://x.example/on/demandware.static/Sites-RefArch-Site/-/en_US/v1/js/main.js"]}, [], "SFRA"),
        ({"metas": ["nopCommerce"]}, [".Nop.Customer"], "nopCommerce"),
        ({}, ["_medusa_cart_id"], "Medusa"),
        ({"globals": ["BCData"]}, [], "BigCommerce"),
        ({"metas": ["WordPress 6.7"]}, ["session_id"], None),
    ],
)
def test_a_platform_is_named_by_its_own_signals(seen: dict[str, list[str]], cookies: list[str], platform: str) -> None:
    found = identify(seen, cookies)
    assert found.platform == platform
    assert bool(found.evidence) == (platform is not None)


def test_the_page_is_asked_about_globals_by_name() -> None:
    asked = ask()
    assert {"Shopify", "BCData", "prestashop", "wc_add_to_cart_params"} <= set(asked["globals"])


@pytest.mark.parametrize(
    "text",
    [
        "eGift Card",
        "Gift Certificate",
        "Geschenkgutschein",
        "Carte cadeau",
        "Tarjeta regalo",
        "Buono regalo",
        "Cadeaukaart",
        "Vale-presente",
        "ギフトカード",
    ],
)
def test_gift_card_words_in_eight_languages(text: str) -> None:
    assert says("gift_card", text)


@pytest.mark.parametrize("text", ["Check your gift card balance", "Redeem a gift card", "Gift card terms"])
def test_links_about_a_card_one_has_are_avoided(text: str) -> None:
    assert says("avoid", text)


def test_search_words_follow_the_page_language() -> None:
    assert search_words("de") == ["Gutschein", "gift card"]
    assert search_words("xx") == ["gift card"]


def field(label: str = "", *, name: str = "", auto: str = "", placeholder: str = "", required: bool = True) -> dict:
    return {
        "label": label,
        "name": name,
        "id": "",
        "autocomplete": auto,
        "placeholder": placeholder,
        "required": required,
        "options": [],
    }


@pytest.mark.parametrize(
    ("f", "kind"),
    [
        (field(auto="email"), "email"),
        (field("Vorname"), "given_name"),
        (field("Nachname"), "family_name"),
        (field(placeholder="Postcode"), "postcode"),
        (field("PLZ"), "postcode"),
        (field("Straße und Hausnummer"), "line1"),
        (field("Card number"), "card"),
        (field(auto="cc-number", name="number"), "card"),
        (field("Prénom"), "given_name"),
        (field("Recipient's e-mail"), "email"),
        (field(name="billing_city"), "city"),
    ],
)
def test_fields_are_classified_as_autofill_does(f: dict, kind: str) -> None:
    assert kind_of(f) == kind


def test_card_and_password_fields_are_never_typed_into_and_a_recipient_gets_test_data() -> None:
    who = identity("en")
    assert text_for(field("Card number"), who) is None
    assert text_for(field("CVC", auto="cc-csc"), who) is None
    assert text_for(field("Recipient's e-mail"), who) == "recipient@example.com"
    assert text_for(field("E-mail"), who) == "probe.shopper@example.com"
    assert text_for(field("Phone", required=False), who) is None
    country = {**field("Country"), "options": [{"value": "", "text": "—"}, {"value": "DE", "text": "Deutschland"}]}
    assert option_for(country, identity("de")) == "DE"
