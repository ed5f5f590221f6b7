#!/bin/sh
# Prints the first Debian mirror apt is set up with (deb822 or one-line sources), else deb.debian.org:
# the mirror scripts/image.sh and scripts/userland-root.sh bootstrap from and scripts/libbpf.sh fetches
# libbpf's source from.
mirror=$(sed -n 's/^URIs: *\([^ ]*\/debian\)$/\1/p; s/^deb \(http[^ ]*\/debian\) .*/\1/p' \
  /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null | head -1)
echo "${mirror:-http://deb.debian.org/debian}"
