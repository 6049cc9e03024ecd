"""backoff's @on_exception on an async function, retrying only an exception the body never raises."""

import backoff


class _Never(Exception):
    """Raised by nothing, so no retry (and no sleep) ever happens."""


def retried(fn):
    """@backoff.on_exception(backoff.expo, _Never, max_tries=3): an `async def` that awaits fn."""
    return backoff.on_exception(backoff.expo, _Never, max_tries=3)(fn)
