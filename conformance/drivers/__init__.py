"""Drivers: the ways a call reaches the subject. Each one offers the same small interface (`Driver`)."""

from conformance.drivers.asyncgen import (
           AcloseAwaitableDriver,
           AnextAwaitableDriver,
           AthrowAwaitableDriver,
           AwaitedAnextDriver,
           AsendAwaitableDriver,
           AsyncForDriver,
           AsyncGenDriver,
           AsyncGenHooksDriver,
           AsyncGenLoopDriver,
           AsyncGenShutdownDriver,
)
from conformance.drivers.asyncio_task import AsyncioDriver
from conformance.drivers.base import Driver, DriverUnavailable, InProcessDriver
from conformance.drivers.direct import (
           AwaitIteratorDriver,
           DelegationDriver,
           DirectDriver,
           GeneratorDriver,
)


def with_awaitee(driver_class, kind: str):
    """The driver whose scripted body awaits a `kind` object (an awaitee kind of the model) instead of a plain
    iterator: named "DRIVER/KIND", judged by the driver's route combined with the kind's rows."""
    gap = driver_class.awaitee_gap
    return type(f"{driver_class.__name__}_{kind}", (driver_class,),
                {"name": f"{driver_class.name}/{kind}", "awaitee": kind, "base_name": driver_class.name,
                 "description": f"{driver_class.description}; the body awaits a {kind}",
                 "modelled_since": gap[0] if gap else driver_class.modelled_since,
                 "modelled_why": gap[1] if gap else driver_class.modelled_why})


def _registry(classes) -> dict:
    drivers = {}
    for driver_class in classes:
        drivers[driver_class.name] = driver_class
        for kind in driver_class.awaitees:
            variant = with_awaitee(driver_class, kind)
            drivers[variant.name] = variant
    return drivers


DRIVERS = _registry((DirectDriver, AwaitIteratorDriver, DelegationDriver, GeneratorDriver, AsyncioDriver,
                     AsyncGenDriver, AsyncGenHooksDriver, AsyncGenLoopDriver, AsyncGenShutdownDriver,
                     AsendAwaitableDriver, AnextAwaitableDriver,
                     AthrowAwaitableDriver, AcloseAwaitableDriver, AwaitedAnextDriver,
                     AsyncForDriver))


def modelled_drivers(names, version) -> tuple[list[str], dict[str, str]]:
    """The drivers of `names` the model can judge on the `version` profile, and why each other one is left out."""
    left_out = {name: DRIVERS[name].unmodelled(version) for name in names}
    return [name for name in names if left_out[name] is None], {n: why for n, why in left_out.items() if why}


__all__ = ["Driver", "InProcessDriver", "DriverUnavailable", "DRIVERS", "with_awaitee", "modelled_drivers"]
