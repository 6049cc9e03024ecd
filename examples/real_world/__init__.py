"""Real third-party decorators, wrappers and awaitables, applied as their users apply them; see examples/real-world.md."""
