"""The values that flow through a probe: vocabulary enums, observation, credit context, verdict, report."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class OptionState(StrEnum):
    """What the shopper meets at payment selection for a credit option."""

    absent = "absent"
    selectable = "selectable"
    greyed_out = "greyed_out"
    unknown = "unknown"


class PageKind(StrEnum):
    """What the page the probe observed turned out to be; only a payment page can prove a credit absent."""

    payment = "payment"
    sign_in = "sign_in"
    empty_cart = "empty_cart"
    error = "error"
    other = "other"


class Outcome(StrEnum):
    """The verdict's one-word answer."""

    can_use = "can_use"
    cannot_use = "cannot_use"
    against_terms = "against_terms"
    assume_cannot_use = "assume_cannot_use"
    inconclusive = "inconclusive"


class CreditSource(StrEnum):
    """Where the credit came from (the guide's step 2)."""

    refund = "refund"
    gift_card = "gift_card"
    return_ = "return"
    promotional = "promotional"
    rewards = "rewards"
    unknown = "unknown"


class GiftCardKind(StrEnum):
    """What kind of gift card is being bought."""

    store_digital = "store-digital"
    store_physical = "store-physical"
    third_party = "third-party"


class Intent(StrEnum):
    """What the shopper means to do with the gift card."""

    own_use = "own-use"
    gift = "gift"
    resale = "resale"


class StoreAnswer(StrEnum):
    """How far the evidence went: the store's answer after the credit was submitted, or why nothing was tried."""

    accepted = "accepted"
    refused = "refused"
    not_tried = "not_tried"


class KnownFrom(StrEnum):
    """How a fact about the credit was learned."""

    cli = "cli"
    profile = "profile"
    scenario = "scenario"
    account_page = "account_page"
    option_text = "option_text"
    default = "default"


class Frozen(BaseModel):
    """The one base of every probe model and file format: immutable, no unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Evidence(Frozen):
    """One signal the detector saw and the state it points to."""

    signal: str
    value: str
    points_to: OptionState | None = None
    weight: int = 1


class Note(Frozen):
    """Something the detector did or saw that points to no state (waited, tried a click, ignored a decoy)."""

    signal: str
    value: str


class Balance(Frozen):
    """A balance as the store shows it, read as a number and a currency (None when the text names none)."""

    amount: float
    currency: str | None = None


class CreditOption(Frozen):
    """One credit line as offered (or not) on the payment page."""

    label: str
    option_state: OptionState
    reason_text: str | None = None
    balance_text: str | None = None
    balance: Balance | None = None
    source_hint: CreditSource = CreditSource.unknown
    evidence: tuple[Evidence, ...] = ()
    notes: tuple[Note, ...] = ()
    box: tuple[float, float, float, float] | None = Field(
        default=None,
        description="x, y, width, height of the option on the page (page pixels, as in a full-page picture)",
    )
    answer: StoreAnswer | None = Field(default=None, description="the store's answer once the credit was submitted")
    answer_why: str | None = Field(default=None, description="what the store said, or why nothing was submitted")
    answer_picture: str | None = Field(default=None, description="the page the store answered with (report-relative)")

    def answer_fields(self) -> dict[str, object]:
        """The observation's fields that come from the option it is about: its answer, and for an option whose
        answer was not read (state unknown), that line as the observation's error."""
        fields: dict[str, object] = {
            "answer": self.answer,
            "answer_why": self.answer_why,
            "answer_picture": self.answer_picture,
        }
        if self.option_state is OptionState.unknown and self.answer_why:
            fields["error"] = self.answer_why
        return fields


class Observation(Frozen):
    """What the probe saw at payment selection; the top-level fields describe the chosen option."""

    option_state: OptionState
    option_label: str | None = None
    reason_text: str | None = None
    balance_text: str | None = None
    balance: Balance | None = None
    page_kind: PageKind | None = Field(default=None, description="payment, sign_in, empty_cart, error or other")
    evidence: tuple[Evidence, ...] = Field(default=(), description="each signal seen and the state it points to")
    notes: tuple[Note, ...] = Field(default=(), description="what the detector did and saw that points nowhere")
    credit_options: tuple[CreditOption, ...] = ()
    conflicts: tuple[str, ...] = ()
    page_url: str | None = None
    error: str | None = Field(default=None, description="why the probe could not observe, when it could not")
    warnings: tuple[str, ...] = Field(default=(), description="what the probe observed despite (a page still busy)")
    answer: StoreAnswer | None = Field(default=None, description="accepted, refused or not_tried (the chosen option)")
    answer_why: str | None = Field(default=None, description="what the store said, or why nothing was submitted")
    answer_picture: str | None = Field(default=None, description="the page the store answered with (report-relative)")


class AccountLine(Frozen):
    """One credit line as the account page lists it (the guide's steps 1–3)."""

    label: str
    source_text: str = ""
    balance: str | None = None
    expires_text: str | None = None
    terms: str | None = None


class CreditContext(Frozen):
    """What is known about the credit, and how each fact was known."""

    source: CreditSource = CreditSource.unknown
    source_known_from: KnownFrom = KnownFrom.default
    expires: dt.date | None = None
    expires_known_from: KnownFrom = KnownFrom.default
    terms: str | None = None
    amount_text: str | None = None


class Facts(Frozen):
    """Everything the decision table looks at."""

    option_state: OptionState
    credit_source: CreditSource = CreditSource.unknown
    credit_expires: dt.date | None = None
    gift_card: GiftCardKind = GiftCardKind.store_digital
    intent: Intent = Intent.own_use
    today: dt.date
    balance_text: str | None = Field(default=None, description="the balance shown with the option, for the words only")
    balance: Balance | None = Field(default=None, description="the balance shown, as a number (R-empty and others)")


class FiredRule(Frozen):
    """A rule of the table that applied, with the guide's text and why it fired."""

    id: str
    title: str
    why: str
    guide: str
    outcome: Outcome | None = None
    deciding: bool = False


class Verdict(Frozen):
    """The decision for one credit option."""

    outcome: Outcome
    deciding_rule: str | None = None
    rules: tuple[FiredRule, ...] = ()
    advice: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


class OptionVerdict(Frozen):
    """A verdict tied to the credit option it is about."""

    option_label: str
    credit_source: CreditSource
    verdict: Verdict


class MaskKind(StrEnum):
    """What a mask box in a screenshot hides: the shopper's data, never the shop's."""

    name = "name"
    address = "address"
    email = "email"
    phone = "phone"
    card = "card"
    code = "code"
    account = "account"
    input = "input"


class Mask(Frozen):
    """One box painted over a screenshot, with the rule that made it."""

    kind: MaskKind
    rule: str
    box: tuple[float, float, float, float] = Field(description="x, y, width, height on the page, in CSS pixels")


class CartItem(Frozen):
    """One line of the cart as the order summary shows it."""

    name: str
    quantity: int = 1
    amount: float | None = Field(default=None, description="the line's price as shown (its total)")


class Cart(Frozen):
    """The cart as it stood at payment selection, read from the page's order summary (masked like the pictures)."""

    items: tuple[CartItem, ...] = ()
    total: float | None = None
    currency: str | None = None


class Step(Frozen):
    """One step of the walk, with its screenshot (relative to the report folder) and the boxes masked on it."""

    name: str
    url: str | None = None
    screenshot: str | None = None
    duration_s: float = 0.0
    ok: bool = True
    error: str | None = None
    retries: int = 0
    masks: tuple[Mask, ...] = ()


class BlockedRequest(Frozen):
    """A request, navigation or click the guard stopped."""

    kind: Literal["request", "navigation", "click", "dialog", "popup", "form", "beacon", "websocket"]
    target: str
    reason: str


class SeenRequest(Frozen):
    """A non-GET request the page sent, with what the guard did (URL query values that could be secrets masked)."""

    method: str
    url: str
    outcome: Literal["allowed", "blocked"]
    rule: str
    why: str = ""


class Safety(Frozen):
    """What the guard did; the probe never places an order."""

    order_placed: Literal[False] = False
    blocked: tuple[BlockedRequest, ...] = ()
    order_patterns: tuple[str, ...] = ()
    requests: tuple[SeenRequest, ...] = ()
    requests_omitted: int = 0


class RunInfo(Frozen):
    """Where and how the probe ran."""

    target: str
    scenario: str | None = None
    profile: str | None = None
    payment_page: bool = False
    browser: str | None = None
    started_at: dt.datetime
    duration_s: float = 0.0
    today: dt.date
    gift_card: GiftCardKind
    intent: Intent
    probe_version: str
    masked: bool = False  # the shopper's data (names, addresses, e-mail, phone, cards, codes) painted over


class Discovery(Frozen):
    """How a check without a profile found its way: the platform, the way as a profile, the failure if any."""

    platform: str | None = None
    platform_evidence: tuple[str, ...] = ()
    profile: str = Field(
        description="the way found, as a profile's YAML, e-mail addresses and codes masked "
        "(discovered-profile.yaml beside the report keeps it whole, to replay)"
    )
    failure: str | None = Field(default=None, description="the failure's name, when the way was not found")


class Report(Frozen):
    """Everything one check found: the contents of report.json."""

    schema_version: Literal[1] = 1
    run: RunInfo
    observation: Observation
    credit: CreditContext
    verdict: Verdict
    verdicts: tuple[OptionVerdict, ...] = ()
    cart: Cart | None = None
    steps: tuple[Step, ...] = ()
    safety: Safety = Safety()
    annotated_screenshot: str | None = None
    annotated_region: tuple[int, int, int, int] | None = Field(
        default=None,
        description="x, y, width, height of the page the annotated screenshot shows (null: all of it, --full-page)",
    )
    annotated_note: str | None = Field(
        default=None, description="what the annotated screenshot leaves out, if anything"
    )
    trace: str | None = None
    baseline_changes: tuple[str, ...] = ()
    discovery: Discovery | None = None
