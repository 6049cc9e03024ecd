"""Examples for `coroconf check`: wrappers, a decorator and an awaitable, correct and broken."""
