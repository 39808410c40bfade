import re
from playwright.sync_api import Playwright, sync_playwright, expect


def run(playwright: Playwright) -> None:
    browser = playwright.chromium.launch(headless=False)
    context = browser.new_context()
    page = context.new_page()
    page.goto("https://shop.example/")
    page.get_by_role("link", name="Gift cards", exact=True).first.click()
    page.get_by_text("Digital gift card").nth(1).click()
    page.get_by_placeholder("Recipient's name").fill("Sam")
    page.locator("select[name=\"denomination\"]").select_option(label="$25")
    page.get_by_role("checkbox", name="Send by e-mail").check()
    page.get_by_role("button", name="Add to bag").click()
    page.goto("https://shop.example/checkout")
    page.get_by_role("textbox", name="Email").fill("me@example.org")
    page.get_by_role("button", name="Continue to payment").press("Enter")
    page.get_by_role("button", name="Continue to payment").click()
    page.wait_for_url("**/checkout/payment")

    # ---------------------
    context.close()
    browser.close()


with sync_playwright() as playwright:
    run(playwright)
