"""The payment step of the gift shop: pay with oscar-accounts' accounts (store credit).

Modelled on how django-oscar-accounts plugs into oscar's checkout in its sandbox (sandbox/apps/checkout/views.py):
the payment-details page lists the customer's accounts and a look-up by code; "Select account" checks the account
with the package's ValidAccountForm and answers with its AllocationForm ("Choose allocation"); "Allocate" records
the allocation in the checkout session; the order is paid by the package's gateway.redeem. The allocations are kept
in the session as the package's Allocations.serialize text (the session is JSON).
"""

from django import http
from django.contrib import messages
from django.urls import reverse
from oscar.apps.checkout import views
from oscar.apps.payment import exceptions
from oscar.apps.payment.models import Source, SourceType
from oscar_accounts import exceptions as account_exceptions
from oscar_accounts import security
from oscar_accounts.checkout import forms, gateway
from oscar_accounts.checkout.allocation import Allocations

ACTIONS = {"select_account": "select_account", "allocate": "allocate", "remove_allocation": "remove_allocation"}


class PaymentDetailsView(views.PaymentDetailsView):
    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["is_blocked"] = security.is_blocked(self.request)
        ctx["account_form"] = forms.ValidAccountForm(self.request.user)
        if self.request.user.is_authenticated:
            ctx["user_accounts"] = gateway.user_accounts(self.request.user)
        allocations = self.allocations()
        ctx["account_allocations"] = allocations
        ctx["to_allocate"] = ctx["order_total"].incl_tax - allocations.total
        return ctx

    def post(self, request, *args, **kwargs):
        action = ACTIONS.get(request.POST.get("action", ""))
        if action is not None:
            return getattr(self, action)(request)
        return super().post(request, *args, **kwargs)

    def handle_payment(self, order_number, total, **kwargs):
        allocations = self.allocations()
        if allocations.total != total.incl_tax:
            raise exceptions.UnableToTakePayment("Your account allocations do not cover the order total")
        try:
            gateway.redeem(order_number, self.request.user, allocations)
        except account_exceptions.AccountException as error:
            raise exceptions.UnableToTakePayment("An error occurred with the account redemption") from error
        source_type, _ = SourceType.objects.get_or_create(name="Account")
        for code, amount in allocations.items():
            self.add_payment_source(Source(source_type=source_type, amount_debited=amount, reference=code))
        self.add_payment_event("Settle", total.incl_tax)

    def select_account(self, request):
        if security.is_blocked(request):
            messages.error(request, "You are currently blocked from using accounts")
            return http.HttpResponseRedirect(reverse("checkout:payment-details"))
        form = forms.ValidAccountForm(request.user, request.POST)
        if not form.is_valid():
            security.record_failed_request(request)
            return self.page(form)
        security.record_successful_request(request)
        return self.page(form, allocate=True)

    def allocate(self, request):
        account_form = forms.ValidAccountForm(request.user, request.POST)
        if not account_form.is_valid():
            messages.error(request, "An error occurred allocating from your account")
            return http.HttpResponseRedirect(reverse("checkout:payment-details"))
        page = self.page(account_form, allocate=True, data=request.POST)
        allocation_form = page.context_data["allocation_form"]
        if not allocation_form.is_valid():
            return page
        allocations = self.allocations()
        allocations.add(account_form.account.code, allocation_form.cleaned_data["amount"])
        self.keep_allocations(allocations)
        messages.success(request, "Allocation recorded")
        return http.HttpResponseRedirect(reverse("checkout:payment-details"))

    def remove_allocation(self, request):
        allocations = self.allocations()
        codes = [key.removeprefix("remove_") for key in request.POST if key.startswith("remove_")]
        if not codes or not allocations.contains(codes[0]):
            messages.error(request, "No allocation found")
        else:
            allocations.remove(codes[0])
            self.keep_allocations(allocations)
            messages.success(request, "Allocation removed")
        return http.HttpResponseRedirect(reverse("checkout:payment-details"))

    def page(self, account_form, allocate=False, data=None):
        """The payment page with the account form as submitted and, once the account is valid, its allocation form."""
        ctx = self.get_context_data()
        ctx["account_form"] = account_form
        if allocate:
            ctx["allocation_form"] = forms.AllocationForm(
                account_form.account,
                self.request.basket,
                ctx["shipping_charge"].incl_tax,
                ctx["order_total"].incl_tax,
                self.allocations(),
                data=data,
            )
        return self.render_to_response(ctx)

    def allocations(self):
        kept = self.checkout_session._get("accounts", "allocations")
        return Allocations.deserialize(kept) if kept else Allocations()

    def keep_allocations(self, allocations):
        self.checkout_session._set("accounts", "allocations", Allocations.serialize(allocations))
