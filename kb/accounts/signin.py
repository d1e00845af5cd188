"""Sign-in limits: failed attempts counted per account and per client address, apart.

A guesser trying many passwords on one account is stopped by the account's limit; a sprayer
trying one password on many accounts by the address's. Successful sign-ins are not counted,
and one clears its account's failures. While a limit holds, the password is not even
checked, and the refusal says when to try again. Counts live in the web process's memory
(`limits`' moving windows): kb serves from one process (waitress threads).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from limits import RateLimitItem, parse, storage, strategies

from kb.accounts.users import authenticate
from kb.context import KbContext
from kb.errors import Forbidden, KbError
from kb.models import User

ACCOUNT_LIMIT = "5 per 15 minutes"
ADDRESS_LIMIT = "20 per 15 minutes"
SCOPES = {"compte": "pour ce compte", "adresse": "depuis votre adresse"}


class TooManyAttempts(KbError):
    """Refused before checking the password: `retry_after` seconds until the next try."""

    status = 429

    def __init__(self, scope: str, retry_after: int) -> None:
        minutes = max(1, math.ceil(retry_after / 60))
        super().__init__(f"Trop de tentatives de connexion échouées {SCOPES[scope]} : "
                         f"réessayez dans {minutes} minute{'s' if minutes > 1 else ''}.")
        self.scope = scope
        self.retry_after = retry_after


@dataclass(frozen=True)
class _Counter:
    scope: str
    item: RateLimitItem


class SignInGuard:
    """The sign-in of one web app, with its failure counters."""

    def __init__(self, account_limit: str = ACCOUNT_LIMIT,
                 address_limit: str = ADDRESS_LIMIT) -> None:
        self._account = _Counter("compte", parse(account_limit))
        self._address = _Counter("adresse", parse(address_limit))
        self._limiter = strategies.MovingWindowRateLimiter(
            storage.storage_from_string("memory://"))

    def sign_in(self, ctx: KbContext, email: str, password: str, address: str) -> User:
        """The account, or `TooManyAttempts` (429), or the usual refusal (401)."""
        keys = ((self._account, email.strip().lower()), (self._address, address or "?"))
        for counter, key in keys:
            if not self._limiter.test(counter.item, counter.scope, key):
                reset_at = self._limiter.get_window_stats(counter.item, counter.scope, key)[0]
                raise TooManyAttempts(counter.scope, math.ceil(reset_at - time.time()))
        try:
            user = authenticate(ctx, email, password)
        except Forbidden:
            for counter, key in keys:
                self._limiter.hit(counter.item, counter.scope, key)
            raise
        self._limiter.clear(self._account.item, self._account.scope, keys[0][1])
        return user
