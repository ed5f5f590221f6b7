#!/usr/bin/env bash
# The whole test suite, as README.md gives it and .ci/run runs it:
# 1. unit, integration and launcher tests, plus the self-contained tarball (DistIT, SystemdUnitIT) and the
#    same tarball in Debian 11, 12 and 13 roots (UserlandMatrixIT, docs/userland-matrix.md);
# 2. the kernel matrix: every attach kind and example inside four Debian kernels under QEMU
#    (docs/kernel-matrix.md).
# Installs the system packages the tests use first (Debian, as root; idempotent).
# CI=true makes every test that loads BPF fail (never skip) when the kernel refuses.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh all
./mvnw -B verify -Pdist
./mvnw -B verify -Pkernel-matrix
