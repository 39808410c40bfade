"""Walk a store in the browser: launch or connect, the store profile, the guarded steps, the account page."""
