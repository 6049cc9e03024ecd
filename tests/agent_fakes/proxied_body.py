"""A subject module whose coroutines are proxies of the real scripted body's: faithful, except for what the
environment variable COROCONF_FAKE_PROXY names ("await": cr_await is a stand-in of its own rather than what the
body awaits; "suspended": no cr_suspended). Loaded by path into the agent, like a compiled subject."""

import importlib.util
import os

_SPEC = importlib.util.spec_from_file_location(
    "proxied_real_body", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "conformance",
                                      "subject", "body.py"))
_REAL = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(_REAL)
MODE = os.environ.get("COROCONF_FAKE_PROXY", "")


class Proxy:
    def __init__(self, coroutine):
        self._coroutine = coroutine

    def send(self, value):
        return self._coroutine.send(value)

    def throw(self, *arguments):
        return self._coroutine.throw(*arguments)

    def close(self):
        return self._coroutine.close()

    def __await__(self):
        return self._coroutine.__await__()

    def __getattr__(self, name):
        if MODE == "suspended" and name == "cr_suspended":
            raise AttributeError(name)
        value = getattr(self._coroutine, name)
        return [value] if MODE == "await" and name == "cr_await" and value is not None else value


def scripted_body(script):
    return Proxy(_REAL.scripted_body(script))


scripted_generator = _REAL.scripted_generator
