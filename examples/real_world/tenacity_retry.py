"""tenacity's @retry on an async function: one attempt, re-raising the body's own exception."""

import tenacity


def retried(fn):
    """@tenacity.retry(stop=stop_after_attempt(1), reraise=True): returns an `async def` that awaits fn."""
    return tenacity.retry(stop=tenacity.stop_after_attempt(1), reraise=True)(fn)
