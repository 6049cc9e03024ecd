"""aiomisc's @timeout on an async function, with a limit no checked call comes near."""

import aiomisc


def limited(fn):
    """@aiomisc.timeout(60): an `async def` that awaits asyncio.wait_for(fn(...), 60)."""
    return aiomisc.timeout(60)(fn)
