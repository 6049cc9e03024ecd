"""OpenTelemetry's tracer.start_as_current_span used as a decorator, with the SDK's tracer and no exporter."""

from opentelemetry.sdk.trace import TracerProvider

tracer = TracerProvider().get_tracer(__name__)


def traced(fn):
    """@tracer.start_as_current_span("work"): an `async def` that awaits fn inside the span's `with`."""
    return tracer.start_as_current_span("work")(fn)
