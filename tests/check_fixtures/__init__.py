"""Objects for the `coroconf check` tests: bad inputs, and broken awaitables."""
