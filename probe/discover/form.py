"""What to type into a checkout field: a test identity (no real person), by the field's kind; never a card number."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from probe.discover.knowledge import field_kind, says

# Fields never typed into, whatever the store marks required.
NEVER = frozenset({"card", "password"})
# Fields filled even when the store does not mark them required (an address a store checks on the next page); any
# other optional field (a phone number a store validates, a note) is left empty.
ESSENTIAL = frozenset({"email", "given_name", "family_name", "full_name", "line1", "postcode", "city", "state"})


@dataclass(frozen=True)
class Identity:
    """A made-up shopper: example.com mail, a fictional phone number, a street that names itself an example."""

    email: str
    given_name: str
    family_name: str
    line1: str
    postcode: str
    city: str
    state: str
    countries: tuple[str, ...]
    phone: str

    def value(self, kind: str) -> str | None:
        return {
            "email": self.email,
            "given_name": self.given_name,
            "family_name": self.family_name,
            "full_name": f"{self.given_name} {self.family_name}",
            "line1": self.line1,
            "postcode": self.postcode,
            "city": self.city,
            "state": self.state,
            "phone": self.phone,
            "message": "Enjoy!",
        }.get(kind)


IDENTITIES = {
    "en": Identity(
        "probe.shopper@example.com",
        "Alex",
        "Tester",
        "1 Example Street",
        "10001",
        "New York",
        "New York",
        ("United States", "USA", "US", "United Kingdom"),
        "+1 212 555 0100",
    ),
    "de": Identity(
        "probe.shopper@example.com",
        "Alex",
        "Tester",
        "Beispielstraße 1",
        "10115",
        "Berlin",
        "Berlin",
        ("Deutschland", "Germany", "DE"),
        "+49 30 5550100",
    ),
}
RECIPIENT = {"email": "recipient@example.com", "full_name": "Sam Recipient", "given_name": "Sam", "family_name": "Sam"}


def identity(lang: str) -> Identity:
    return IDENTITIES.get(lang, IDENTITIES["en"])


def kind_of(field: dict[str, Any]) -> str | None:
    """A scanned field's kind (email, given_name, postcode, card…), as autofill would read it."""
    names = (field["label"], field["name"], field["id"], field["placeholder"])
    return field_kind(field["autocomplete"], *names)


def recipient(field: dict[str, Any]) -> bool:
    return any(says("recipient", field[k]) for k in ("label", "name", "id", "placeholder"))


def text_for(field: dict[str, Any], who: Identity) -> str | None:
    """What to type into a text field, or None to leave it (a card or password field, an unknown optional one)."""
    kind = kind_of(field)
    if kind in NEVER:
        return None
    if recipient(field):
        return RECIPIENT.get(kind or "full_name", RECIPIENT["full_name"]) if kind != "message" else "Enjoy!"
    if not field["required"] and kind not in ESSENTIAL:
        return None
    value = who.value(kind) if kind else None
    if value is None and field["required"]:
        return "Test"
    return value


def option_for(field: dict[str, Any], who: Identity) -> str | None:
    """Which option of a drop-down to choose (its value): the identity's country or state, else the first real one."""
    options = [o for o in field["options"] if o["value"] and o["text"]]
    if not options:
        return None
    kind = kind_of(field)
    wanted = who.countries if kind == "country" else (who.state,) if kind == "state" else ()
    for name in wanted:
        for o in options:
            if o["text"].lower() == name.lower() or o["value"].lower() == name.lower():
                return str(o["value"])
    return str(options[0]["value"])
