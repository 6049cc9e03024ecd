# Nuitka only (compile this file as a module: python -m nuitka --module FILE, then
# python -c "import nuitka_suspended_is_a_pointer_byte"; under CPython simply: python FILE): what cr_suspended
# reads on a coroutine that never started, in up to 2000 fresh processes, each importing this module anew.
# CPython 3.11-3.13 print "cr_suspended was False in all 2000 processes". A Nuitka 4.3.3 build on CPython 3.11
# prints, after a few hundred processes, "process N: cr_suspended True on a coroutine that never started".
# Why: Nuitka's compiled_coroutine subclasses `coroutine` without a cr_suspended of its own, so CPython's getter
# reads the byte where CPython 3.11 keeps gi_frame_state (offset 75) and compares it with FRAME_SUSPENDED (-1);
# in Nuitka's object that byte is the fourth byte of m_code, the address of the compiled body, which address
# space layout randomisation moves on every start: about one process in 256 loads it where that byte is 0xff.
# The first lines printed show the byte and the getter agree (the byte differs from run to run).
import ctypes
import subprocess
import sys

FRAME_STATE_OFFSET = 75  # CPython 3.11's PyGenObject: 16 head, 4 pointers, a 2-pointer stack item, 1 pointer, 3 chars


async def never_started():
    return None


def one_reading():
    """The frame-state byte, cr_suspended and the type's name, of a coroutine that never started."""
    coroutine = never_started()
    byte = ctypes.c_int8.from_address(id(coroutine) + FRAME_STATE_OFFSET).value
    reading = coroutine.cr_suspended
    coroutine.close()
    return byte, reading, type(coroutine).__name__


if __name__ in ("__main__", "nuitka_suspended_is_a_pointer_byte") and "--once" not in sys.argv:
    byte, reading, kind = one_reading()
    print(f"{kind}: the frame-state byte is {byte}, cr_suspended reads {reading}")
    tries = 2000
    importer = f"import sys; sys.argv.append('--once'); sys.path.insert(0, {sys.path[0] or '.'!r}); " \
               "import nuitka_suspended_is_a_pointer_byte as m; print(m.one_reading()[1])"
    command = [sys.executable, "-c", importer] if kind != "coroutine" \
        else [sys.executable, __file__, "--once"]
    for process in range(1, tries + 1):
        if subprocess.run(command, capture_output=True, text=True).stdout.strip().endswith("True"):
            print(f"process {process}: cr_suspended True on a coroutine that never started")
            break
    else:
        print(f"cr_suspended was False in all {tries} processes")
elif "--once" in sys.argv and __name__ == "__main__":
    print(one_reading()[1])
