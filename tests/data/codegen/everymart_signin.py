import re
from playwright.sync_api import Playwright, sync_playwright, expect


def run(playwright: Playwright) -> None:
    browser = playwright.chromium.launch(headless=False)
    context = browser.new_context()
    page = context.new_page()
    page.goto("http://127.0.0.1:8000/signin")
    page.locator("#signin-email").click()
    page.locator("#signin-email").fill("shopper@example.com")
    page.get_by_label("Password", exact=True).click()
    page.get_by_label("Password", exact=True).fill("mock-store-pass-1")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("navigation", name="Departments").get_by_role("link", name="Gift Cards").click()
    page.get_by_test_id("gift-card-store-digital").click()
    page.get_by_label("Amount").select_option("50")
    page.get_by_label("Recipient email").click()
    page.get_by_label("Recipient email").fill("friend@example.com")
    page.get_by_role("button", name="Add to Cart").click()
    page.get_by_role("link", name="Proceed to checkout").click()
    page.get_by_role("button", name="Use this address").click()
    expect(page.get_by_role("heading", name="Select a payment method")).to_be_visible()
    page.get_by_role("radio", name="Refund credit").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Place your order").click()
    page.get_by_role("link", name="Continue shopping").click()

    # ---------------------
    context.close()
    browser.close()


with sync_playwright() as playwright:
    run(playwright)
