#!/usr/bin/env bash
# The demo's story on every day of a year for demo seeds 1-20 (7,300 practices): Dr. House is in
# the alert tier as declining, with touch overdue and refer-back gap alerts. The test suite checks
# 12 days per seed; this runs the full sweep. About 2 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
RAPPORT_DEMO_STORY_DAYS=365 dotnet test tests/Rapport.Tests --filter "FullyQualifiedName~DemoStoryTests" "$@"
