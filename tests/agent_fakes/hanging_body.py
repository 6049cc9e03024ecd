"""A subject module whose coroutine never gives control back once started: a real body that hangs."""


async def scripted_body(script):
    script.started()
    while True:
        pass


def scripted_generator(script):
    script.started()
    while True:
        pass
    yield
