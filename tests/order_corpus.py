"""The recorded request shapes of tests/data/order_requests_corpus.yaml, as (method, url, body, content type)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlencode

import yaml
from pydantic import BaseModel, ConfigDict, model_validator

DATA = Path(__file__).parent / "data"
# Every platform's recorded requests, and the payment-step-vs-order pairs of two-step checkouts.
CORPORA = (
    DATA / "order_requests_corpus.yaml",
    DATA / "payment_steps_corpus.yaml",
    DATA / "route_shapes_corpus.yaml",  # routes in the query string, the form, RPC bodies; method overrides
)
BOUNDARY = "----probeCorpusBoundary7MA4YWxk"


class Shape(BaseModel):
    """One recorded request and what the guard must do with it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    platform: str
    name: str
    method: str
    url: str
    expect: Literal["block", "allow"]
    source: str
    form: dict[str, str] | None = None
    json_body: Any = None
    graphql: str | None = None
    variables: dict[str, Any] | None = None
    batch: list[str] | None = None
    persisted: str | None = None
    multipart: dict[str, str] | None = None
    body: str | None = None
    content_type: str | None = None
    # The page that sent it shows a review step still to come (what the guard reads from the page in a browser).
    review_ahead: bool = False
    headers: dict[str, str] = {}

    @model_validator(mode="before")
    @classmethod
    def _json_key(cls, data: Any) -> Any:
        if isinstance(data, dict) and "json" in data:
            data = {**data, "json_body": data["json"]}
            del data["json"]
        return data

    @property
    def passes_without_review(self) -> bool:
        """Whether it must pass when the page that sends it shows no review step (a save needing one is blocked)."""
        return self.expect == "allow" and not self.review_ahead

    @property
    def id(self) -> str:
        return f"{self.platform}: {self.name}"

    def request(self) -> tuple[bytes | None, str | None]:
        """The body bytes and content type this shape is sent with."""
        if self.form is not None:
            return urlencode(self.form).encode(), "application/x-www-form-urlencoded"
        if self.json_body is not None:
            return json.dumps(self.json_body).encode(), "application/json"
        if self.graphql is not None:
            payload: dict[str, Any] = {"query": self.graphql, "variables": self.variables or {}}
            return json.dumps(payload).encode(), "application/json"
        if self.batch is not None:
            return json.dumps([{"query": q, "variables": {}} for q in self.batch]).encode(), "application/json"
        if self.persisted is not None:
            persisted = {"version": 1, "sha256Hash": "0" * 64}
            payload = {"operationName": self.persisted, "variables": {}, "extensions": {"persistedQuery": persisted}}
            return json.dumps(payload).encode(), "application/json"
        if self.multipart is not None:
            parts = [
                f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
                for k, v in self.multipart.items()
            ]
            return ("".join(parts) + f"--{BOUNDARY}--\r\n").encode(), f"multipart/form-data; boundary={BOUNDARY}"
        if self.body is not None:
            return self.body.encode(), self.content_type or "text/plain"
        return None, None


def load_corpus() -> list[Shape]:
    """Every recorded shape, validated."""
    shapes: list[Shape] = []
    for corpus in CORPORA:
        data = yaml.safe_load(corpus.read_text(encoding="utf-8"))
        shapes += [Shape.model_validate(item) for item in data["requests"]]
    return shapes
