#!/usr/bin/env bash
# The test command: installs what the tests need, builds, and runs every test project.
set -euo pipefail
cd "$(dirname "$0")"
tools/setup.sh
dotnet test Geneformer.Distributed.sln -c Release --no-build -nologo "$@"
