"""What the gift shop itself does when each seeded customer tries to pay for the eGift card with store credit.

`python -m giftshop.attempt SEEDED WORK` runs, for every situation of the seed, on a fresh copy WORK of the seeded
database SEEDED (never on it): sign in, add the eGift card, go to checkout, press "Select account" with the
customer's own listed account (or, for the code-based account, its code in the look-up), "Allocate" the amount the
store proposes, then place the order, all through the store's own views with Django's test client. It prints one
JSON object: per situation, what the payment page listed and what the store answered at each step, whether an
order was placed and how much the account was debited. These answers are the truth the probe's tests expect.
"""

import json
import os
import re
import shutil
import sys
from html.parser import HTMLParser

SEEDED, WORK = sys.argv[1], sys.argv[2]
os.environ["GIFTSHOP_DB"] = WORK
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "giftshop.settings")
shutil.copyfile(SEEDED, WORK)

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from oscar.core.loading import get_model  # noqa: E402

from giftshop.seed import CUSTOMERS, GIFT_CARD, PASSWORD  # noqa: E402

Account = get_model("oscar_accounts", "Account")
Order = get_model("order", "Order")
Product = get_model("catalogue", "Product")


class Said(HTMLParser):
    """The texts of a page's error spans, help texts, alert messages and paragraphs, and its account radios."""

    KINDS = {"error-block": "errors", "form-text": "help", "alert": "alerts"}

    def __init__(self):
        super().__init__()
        self.found = {"errors": [], "help": [], "alerts": [], "paragraphs": [], "radios": []}
        self.open = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "input" and attributes.get("type") == "radio" and attributes.get("name") == "code":
            self.found["radios"].append(attributes.get("value"))
        classes = (attributes.get("class") or "").split()
        kind = next((k for c, k in self.KINDS.items() if c in classes), "paragraphs" if tag == "p" else None)
        if kind:
            self.open.append([tag, kind, ""])

    def handle_data(self, data):
        for entry in self.open:
            entry[2] += data

    def handle_endtag(self, tag):
        if self.open and self.open[-1][0] == tag:
            _, kind, text = self.open.pop()
            text = " ".join(text.split())
            if text:
                self.found[kind].append(text)


def said(response):
    parser = Said()
    parser.feed(response.content.decode())
    return parser.found


def attempt(situation, email, account_name):
    client = Client(HTTP_HOST="127.0.0.1")
    assert client.login(username=email, password=PASSWORD), f"{email} could not sign in"
    card = Product.objects.get(title=GIFT_CARD[0])
    client.post(f"/basket/add/{card.pk}/", {"quantity": 1})
    page = client.get("/checkout/", follow=True)
    if page.request["PATH_INFO"] != "/checkout/payment-details/":
        raise SystemExit(f"{situation}: checkout ended at {page.request['PATH_INFO']} ({page.status_code})")
    listed = said(page)["radios"]
    result = {"payment_page": page.request["PATH_INFO"], "accounts_listed": len(listed)}
    account = Account.objects.filter(name=account_name).first() if account_name else None
    if account is None:
        result["code_used"] = None
    elif account.code in listed:
        result["code_used"] = "listed"
    else:
        result["code_used"] = "look-up"
    if account is not None:
        before = account.balance
        chosen = client.post("/checkout/payment-details/", {"action": "select_account", "code": account.code})
        texts = said(chosen)
        accepted = "Choose allocation" in chosen.content.decode()
        result["select"] = {"accepted": accepted, "errors": texts["errors"], "help": texts["help"]}
        if accepted:
            proposed = re.search(r'name="amount" value="([0-9.]+)"', chosen.content.decode()).group(1)
            result["select"]["proposed"] = proposed
            result["select"]["said"] = [p for p in texts["paragraphs"] if "allocation" in p]
            allocated = client.post(
                "/checkout/payment-details/", {"action": "allocate", "code": account.code, "amount": proposed}
            )
            result["allocate"] = {"recorded": allocated.status_code == 302, "errors": said(allocated)["errors"]}
    placed = client.post("/checkout/preview/", {"action": "place_order"}, follow=True)
    texts = said(placed)
    result["orders_placed"] = Order.objects.filter(user__email=email).count()
    result["order_refused_with"] = texts["alerts"] if not result["orders_placed"] else []
    if account is not None:
        account.refresh_from_db()
        result["debited"] = str(before - account.balance)
    return result


def main():
    answers = {}
    for situation, (email, account_name, _, _) in CUSTOMERS.items():
        connection.close()
        shutil.copyfile(SEEDED, WORK)
        answers[situation] = attempt(situation, email, account_name)
    connection.close()
    json.dump(answers, sys.stdout, indent=2)


if __name__ == "__main__":
    main()
