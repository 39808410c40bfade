"""The knowledge a walk without a profile starts from, without a browser: fingerprints, recipes, words, fields."""

from __future__ import annotations

from urllib.parse import quote_plus, urlencode

import pytest

from probe.discover import reading as read
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


# Each language's search word, and a gift card as a shop in that language names it on its results page.
CATALOGUE = {
    "en": ("gift card", "Digital gift card"),
    "de": ("Gutschein", "Geschenkgutschein per E-Mail"),
    "fr": ("carte cadeau", "Carte cadeau numérique"),
    "es": ("tarjeta regalo", "Tarjeta regalo digital"),
    "it": ("buono regalo", "Buono regalo digitale"),
    "nl": ("cadeaukaart", "Digitale cadeaukaart"),
    "pt": ("vale-presente", "Vale-presente digital"),
    "ja": ("ギフトカード", "デジタルギフトカード"),
}


@pytest.mark.parametrize("lang", sorted(CATALOGUE))
def test_the_catalogue_is_searched_in_the_page_language_then_english(lang: str) -> None:
    word, product = CATALOGUE[lang]
    assert search_words(lang)[0] == word and says("gift_card", word)
    form = {"action": "https://s.example/catalogsearch/result/", "get": True, "name": "q", "hidden": [("l", lang)]}
    first = read.search_address(form, None, lang, [])
    assert first == (word, f"/catalogsearch/result/?{urlencode([('l', lang), ('q', word)])}")
    # No search form of its own: the platform recipe's search address, the words put in its {q}.
    assert read.search_address(None, "/search?type=product&q={q}", lang, []) == (
        word,
        f"/search?type=product&q={quote_plus(word)}",
    )
    then = read.search_address(form, None, lang, [word])
    assert then == (None if lang == "en" else ("gift card", f"/catalogsearch/result/?l={lang}&q=gift+card"))
    assert read.search_address(form, None, lang, [word, "gift card"]) is None
    assert read.search_address({**form, "get": False}, None, lang, []) is None
    # On the results page, the gift card named in that language is the link followed.
    results = seen(
        links=[
            link("Kitchen", "https://s.example/c/kitchen"),
            link(product, "https://s.example/p/4711"),
            link("Copper kettle", "https://s.example/p/12"),
        ]
    )
    assert read.best_gift_link(results, set(), "store-digital")["name"] == product


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


def link(name: str, href: str, **extra: object) -> dict:
    return {"name": name, "href": href, "overlay": False, "tag": "a", "role": "", **extra}


def button(name: str, *, fi: int = 0, search: bool = False, type_: str = "submit") -> dict:
    return {
        "name": name,
        "tag": "button",
        "role": "",
        "type": type_,
        "form": "",
        "fi": fi,
        "search": search,
        "overlay": False,
    }


def seen(**parts: object) -> dict:
    empty = {
        "links": [],
        "buttons": [],
        "fields": [],
        "radios": [],
        "frames": [],
        "title": "",
        "h1": "",
        "text": "",
        "invalid": [],
        "alerts": [],
    }
    return {**empty, **parts}


def test_the_gift_card_link_of_the_kind_asked_wins_and_balance_links_are_left() -> None:
    page = seen(
        links=[
            link("Check your gift card balance", "https://s.example/gift-card-balance"),
            link("Gift cards", "https://s.example/c/gift-cards"),
            link("Printed Gift Card", "https://s.example/p/printed-gift-card"),
            link("Digital Gift Card", "https://s.example/p/digital-gift-card"),
        ]
    )
    assert read.best_gift_link(page, set(), "store-digital")["name"] == "Digital Gift Card"
    assert read.best_gift_link(page, set(), "store-physical")["name"] == "Printed Gift Card"
    followed = {"https://s.example/p/digital-gift-card", "https://s.example/p/printed-gift-card"}
    assert read.best_gift_link(page, followed, "store-digital")["name"] == "Gift cards"


def test_the_way_on_is_never_an_order_control_nor_a_search_or_language_form() -> None:
    page = seen(buttons=[button("Search", fi=0, search=True), button("Go", fi=1), button("Place order", fi=2)])
    assert read.next_control(page, {2}) is None
    assert "'Place order', which probe never presses" in read.dead_end(page, "https://s.example/checkout")
    page["buttons"].append(button("Continue to payment", fi=2))
    assert read.next_control(page, {2})["name"] == "Continue to payment"


def test_a_challenge_is_recognised_by_its_words_or_its_frame() -> None:
    frames = vocabulary().words["challenge"].frames
    assert read.challenge(seen(title="Just a moment..."), frames)
    assert read.challenge(seen(frames=["Widget containing a Cloudflare security challenge"]), frames)
    assert read.challenge(seen(title="Gift cards", text="Buy a gift card"), frames) is None
