#!/bin/sh
# Settings are read only by Config (libs/core/config.cpp), where each one is parsed,
# checked and documented once. Any other getenv in the shop's code fails this test,
# naming the line.
cd "$(dirname "$0")/../.." || exit 2
found=$(grep -rnwE '(secure_)?getenv' libs services apps --include='*.cpp' --include='*.hpp' --include='*.h' |
  grep -v '^libs/core/config\.')
if [ -n "$found" ]; then
  echo "getenv outside libs/core/config.cpp (add the setting to Config instead):"
  echo "$found"
  exit 1
fi
echo "no getenv outside Config"
