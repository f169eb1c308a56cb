#!/usr/bin/env bash
# Install Debian's chromium for the browser test (tests/browser/test_report_browser.py)
# when /usr/bin/chromium is missing. Needs root (or passwordless sudo) and network access
# to the Debian mirrors; exits non-zero with a message when it cannot install.
set -euo pipefail

CHROMIUM=/usr/bin/chromium
if [ -x "$CHROMIUM" ]; then
    echo "chromium already installed: $CHROMIUM"
    exit 0
fi

echo "chromium not found at $CHROMIUM: installing Debian's chromium package (apt-get)"
if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
else
    echo "cannot install chromium: not root and no passwordless sudo" >&2
    exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "cannot install chromium: apt-get not available (not a Debian-based system)" >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends chromium

if [ -x "$CHROMIUM" ]; then
    echo "chromium installed: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
else
    echo "apt-get finished but $CHROMIUM is still missing" >&2
    exit 1
fi
