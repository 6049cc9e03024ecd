#!/bin/sh
# Re-run asyncio_probe.py under every interpreter of the survey; writes
# results/asyncio-<label>.json. Interpreters missing on this machine are skipped with a note.
cd "$(dirname "$0")" || exit 1
mkdir -p results
for v in 3.6.15 3.7.16 3.8.18 3.9.18 3.10.13 3.11.7 3.12.1 3.13.0; do
    py="$HOME/.pyenv/versions/$v/bin/python"
    label="cpython-${v%.*}"
    if [ -x "$py" ]; then
        timeout 300 "$py" asyncio_probe.py > "results/asyncio-$label.json" \
            || echo "asyncio probe failed under $label" >&2
    else
        echo "skipped $label: $py not found" >&2
    fi
done
if [ -x /usr/bin/pypy3 ]; then
    timeout 300 /usr/bin/pypy3 asyncio_probe.py > results/asyncio-pypy3.json \
        || echo "asyncio probe failed under pypy3" >&2
else
    echo "skipped pypy3: /usr/bin/pypy3 not found" >&2
fi
