"""A report against the bundled scenario's `expect:` block: what a correct probe reports for it."""

from __future__ import annotations

from mock_store.scenarios import load_scenario


def assert_matches(name: str, report: dict) -> None:  # type: ignore[type-arg]
    expect = load_scenario(name).expect
    observation = report["observation"]
    assert observation["option_state"] == expect.option_state, observation["evidence"]
    assert report["verdict"]["outcome"] == expect.outcome, report["verdict"]["rules"]
    if expect.reason is not None:
        assert expect.reason.lower() in (observation["reason_text"] or "").lower()
    if expect.balance is not None:
        assert observation["balance_text"] == expect.balance
    if expect.warning is not None:
        assert any(expect.warning in w for w in report["verdict"]["warnings"]), report["verdict"]["warnings"]
    if expect.options:
        seen = [(o["label"], o["option_state"]) for o in observation["credit_options"]]
        assert len(seen) == len(expect.options), seen
        for want, got, verdict in zip(expect.options, observation["credit_options"], report["verdicts"], strict=True):
            assert want.label.lower() in got["label"].lower()
            assert got["option_state"] == want.option_state
            assert verdict["verdict"]["outcome"] == want.outcome
            if want.reason is not None:
                assert want.reason.lower() in (got["reason_text"] or "").lower()


def probe_options(name: str) -> dict[str, object]:
    """What the scenario tells the probe, as `probe check` options."""
    hints = load_scenario(name).probe
    return {
        "gift_card": hints.gift_card,
        "intent": hints.intent,
        "today": hints.today,
        "credit_source": hints.credit_source,
        "credit_expires": hints.credit_expires,
    }
