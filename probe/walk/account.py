"""Reading the account's credit lines from a table on the account page (the guide's steps 1–3)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from probe.models import AccountLine
from probe.walk.profile import AccountPage

if TYPE_CHECKING:
    from playwright.async_api import Locator

TABLE_SCRIPT = """
table => {
  const cells = row => Array.from(row.querySelectorAll('th,td')).map(c => c.innerText.trim());
  const rows = Array.from(table.querySelectorAll('tr'));
  if (!rows.length) return {headers: [], rows: []};
  const headRow = table.querySelector('thead tr') || rows[0];
  return {headers: cells(headRow), rows: rows.filter(r => r !== headRow).map(cells)};
}
"""


async def read_account_table(table: Locator, spec: AccountPage, timeout_ms: float) -> tuple[AccountLine, ...]:
    """The credit lines of the account table, by its header names."""
    data = await table.evaluate(TABLE_SCRIPT, timeout=timeout_ms)
    headers = [h.lower() for h in data["headers"]]

    def column(name: str) -> int | None:
        name = name.lower()
        return next((i for i, h in enumerate(headers) if h == name or name in h), None)

    idx = {key: column(getattr(spec, f"{key}_column")) for key in ("label", "source", "balance", "expires", "terms")}
    lines = []
    for row in data["rows"]:

        def cell(key: str, row: list[str] = row) -> str | None:
            i = idx[key]
            return row[i] if i is not None and i < len(row) and row[i] else None

        label = cell("label")
        if label:
            lines.append(
                AccountLine(
                    label=label,
                    source_text=cell("source") or "",
                    balance=cell("balance"),
                    expires_text=cell("expires"),
                    terms=cell("terms"),
                )
            )
    return tuple(lines)
