"""What the in-page scanner reports, validated: each credit option (ScannedOption) and the page around them."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from probe.models import Frozen

ControlKind = Literal[
    "radio", "checkbox", "switch", "option", "aria-radio", "aria-checkbox", "aria-option", "toggle", "button", "link"
]
TextKind = Literal["applied", "no_methods", "notice", "header_balance", "balance_mention", "mention"]
Box = tuple[float, float, float, float]


class ScannedOption(Frozen):
    """One control named like store credit, as scan_options.js describes it (None / False: the page does not say so)."""

    kind: ControlKind
    tag: str
    role: str
    type: str
    name: str
    matched_by: Literal["name", "tile", "table"] = Field(
        description="credit words in the control's name, in its tile, or a table of accounts with a balance column"
    )
    match_text: str
    tile_text: str
    checked: bool
    invisible: str | None = Field(description="why a shopper cannot see it")
    native_disabled: bool
    fieldset_disabled: str | None = Field(description="the disabled <fieldset> around it")
    aria_disabled: str | None = Field(description="where aria-disabled=true sits: on the control or an ancestor")
    inert: str | None = Field(description="the inert element around it")
    option_disabled: bool
    select_disabled: bool
    opacity: float = Field(description="effective opacity, the ancestors' included")
    pointer_events: bool = Field(description="pointer-events: none on the control or what shows it")
    grayscale: str | None
    cursor: str | None
    disabled_class: str | None = Field(description="the element whose class names say disabled")
    described: str = Field(description="the aria-describedby text")
    title: str = Field(description="a title or tooltip")
    helpers: tuple[str, ...] = Field(description="helper lines in its tile and right after it")
    balance: str | None = Field(description="the amount shown with it")
    submit_like: bool
    apply: str | None = Field(description="the words of its own apply / use / select button")
    apply_submits: bool
    safe_link: bool = Field(description="not a link to another page")
    box: Box | None

    @property
    def disabled_by_page(self) -> str | None:
        """How the page stops a shopper choosing it (the browser enforces it), or None: the one test of disabled.

        aria-disabled is not here: it declares, the browser does not enforce, and a trial click hears what the page
        does with it (a refusal message, or a selection the ARIA denied).
        """
        if self.native_disabled:
            return f"<{self.tag} disabled>"
        if self.fieldset_disabled:
            return f"inside {self.fieldset_disabled}"
        if self.inert:
            return f"inside inert {self.inert}"
        if self.option_disabled:
            return "<option disabled> in its list"
        if self.select_disabled:
            return "the <select> holding it is disabled"
        return None

    @property
    def enabled(self) -> str | None:
        """What a shopper can see and the browser lets them choose ("a shown radio …"), else None."""
        if self.invisible or self.disabled_by_page:
            return None
        return f"a shown {self.kind} the browser lets a shopper choose"


class ScannedText(Frozen):
    """Words of credit outside any control: a store-applied totals line, a header balance, a notice."""

    kind: TextKind
    text: str
    balance: str | None = None
    box: Box | None = None
    remover: str | None = Field(default=None, description="the words of the Remove button in an applied credit's row")


class ScannedPage(Frozen):
    """One frame's scan: its credit options, texts of credit, decoys, code boxes, and where it stands."""

    items: tuple[ScannedOption, ...]
    texts: tuple[ScannedText, ...]
    decoys: tuple[str, ...]
    code_boxes: tuple[str, ...]
    secrets: tuple[str, ...]
    title: str
    heading: str
    url: str
    scroll: tuple[float, float]
