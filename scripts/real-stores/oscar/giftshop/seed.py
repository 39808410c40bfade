"""Seed the gift shop: an eGift card, oscar-accounts' own ledger, and one signed-in customer per credit situation.

Run as `python -m giftshop.seed MANIFEST` on a freshly migrated database. Accounts are funded the way the
package funds them (facade.transfer from its "Bank" source account, oscar_accounts.setup's default structure);
account codes are the package's own random codes (oscar_accounts.codes.generate). MANIFEST (JSON) records each
situation's customer e-mail and account name, and the customers' password: a throw-away local store's.
"""

import json
import os
import sys
from datetime import timedelta
from decimal import Decimal

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "giftshop.settings")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.sites.models import Site  # noqa: E402
from django.utils import timezone  # noqa: E402
from oscar.core.loading import get_model  # noqa: E402
from oscar_accounts import codes, facade, names, setup  # noqa: E402

Account = get_model("oscar_accounts", "Account")
ProductClass = get_model("catalogue", "ProductClass")
Product = get_model("catalogue", "Product")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")
Range = get_model("offer", "Range")

PASSWORD = "giftshop-customer-pw"
GIFT_CARD = ("eGift card", Decimal("25.00"))
OTHER_PRODUCT = ("Gift wrap", Decimal("3.00"))

# situation: (e-mail, account name or None, balance, what is done to the account)
CUSTOMERS = {
    "funded": ("funded@giftshop.test", "Refund credit - order 100017", Decimal("100.00"), "open"),
    "empty": ("empty@giftshop.test", "Refund credit - order 100022", Decimal("0.00"), "open"),
    "frozen": ("frozen@giftshop.test", "Refund credit - order 100031", Decimal("40.00"), "frozen"),
    "expired": ("expired@giftshop.test", "Refund credit - order 100045", Decimal("60.00"), "expired"),
    "restricted": ("restricted@giftshop.test", "Gift wrap credit", Decimal("30.00"), "restricted"),
    "none": ("none@giftshop.test", None, Decimal("0.00"), "none"),
    "code": ("code@giftshop.test", "Gift voucher", Decimal("50.00"), "code"),
}


def product(product_class, partner, title, price, sku):
    item = Product.objects.create(product_class=product_class, title=title, structure="standalone")
    StockRecord.objects.create(product=item, partner=partner, partner_sku=sku, price=price, price_currency="GBP")
    return item


def seed(manifest_path):
    Site.objects.update_or_create(id=1, defaults={"domain": "127.0.0.1", "name": "Gift shop"})
    setup.create_default_accounts()
    bank = Account.objects.get(name=names.BANK)
    partner = Partner.objects.create(name="Gift shop")
    cards = ProductClass.objects.create(name="Gift card", requires_shipping=False, track_stock=False)
    goods = ProductClass.objects.create(name="Accessory", requires_shipping=False, track_stock=False)
    product(cards, partner, *GIFT_CARD, sku="EGIFT-25")
    wrap = product(goods, partner, *OTHER_PRODUCT, sku="WRAP-1")
    wrap_only = Range.objects.create(name="Gift wrap only")
    wrap_only.add_product(wrap)

    now = timezone.now()
    manifest = {"password": PASSWORD, "gift_card": GIFT_CARD[0], "customers": {}}
    for situation, (email, account_name, balance, state) in CUSTOMERS.items():
        user = get_user_model().objects.create_user(
            username=situation, email=email, password=PASSWORD, first_name=situation.title(), last_name="Customer"
        )
        manifest["customers"][situation] = {"email": email, "account": account_name}
        if account_name is None:
            continue
        account = Account.objects.create(
            name=account_name,
            code=codes.generate(),
            primary_user=None if state == "code" else user,
            product_range=wrap_only if state == "restricted" else None,
            start_date=now - timedelta(days=90),
            end_date=now - timedelta(days=1) if state == "expired" else now + timedelta(days=365),
        )
        if balance:
            facade.transfer(bank, account, balance, description=f"Seeded for {situation}")
        if state == "frozen":
            account.status = Account.FROZEN
            account.save()
    with open(manifest_path, "w") as out:
        json.dump(manifest, out, indent=2)


if __name__ == "__main__":
    seed(sys.argv[1])
