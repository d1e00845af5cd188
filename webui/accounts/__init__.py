"""Sign-in, sign-out, password change, and the administration of accounts."""
