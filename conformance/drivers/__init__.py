"""Drivers: the ways a call reaches the subject. Each one offers the same small interface (`Driver`)."""

from conformance.drivers.asyncio_task import AsyncioDriver
from conformance.drivers.base import Driver, DriverUnavailable, InProcessDriver
from conformance.drivers.direct import (
           AwaitIteratorDriver,
           DelegationDriver,
           DirectDriver,
           GeneratorDriver,
)

DRIVERS = {driver.name: driver for driver in
           (DirectDriver, AwaitIteratorDriver, DelegationDriver, GeneratorDriver, AsyncioDriver)}

__all__ = ["Driver", "InProcessDriver", "DriverUnavailable", "DRIVERS"]
