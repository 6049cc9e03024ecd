"""stamina's @retry on an async function, retrying only an exception the body never raises."""

import stamina


class _Never(Exception):
    """Raised by nothing, so no retry (and no sleep) ever happens."""


def retried(fn):
    """@stamina.retry(on=_Never, attempts=3): an `async def` that awaits fn inside `with attempt:`."""
    return stamina.retry(on=_Never, attempts=3)(fn)
