"""Drivers: the ways a call reaches the subject. Each one offers the same small interface (`Driver`)."""

from .base import Driver, InProcessDriver, DriverUnavailable
from .direct import DirectDriver, AwaitIteratorDriver, DelegationDriver, GeneratorDriver
from .asyncio_task import AsyncioDriver

DRIVERS = {driver.name: driver for driver in
           (DirectDriver, AwaitIteratorDriver, DelegationDriver, GeneratorDriver, AsyncioDriver)}

__all__ = ["Driver", "InProcessDriver", "DriverUnavailable", "DRIVERS"]
