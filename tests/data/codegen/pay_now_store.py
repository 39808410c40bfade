from playwright.sync_api import Playwright, sync_playwright, expect


def run(playwright: Playwright) -> None:
    browser = playwright.chromium.launch(headless=False)
    context = browser.new_context()
    page = context.new_page()
    page.goto("https://boutique.example/account/login")
    page.get_by_placeholder("E-mail").fill("customer@example.net")
    page.get_by_placeholder("Passwort").fill("hunter2-secret")
    page.get_by_role("button", name="Log in").click()
    page.goto("https://boutique.example/products/gift-card")
    page.get_by_role("button", name="Buy now").click()
    page.get_by_role("button", name="Pay now").click()

    # ---------------------
    context.close()
    browser.close()


with sync_playwright() as playwright:
    run(playwright)
