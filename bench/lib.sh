# shellcheck shell=bash
# Helpers the bench scripts share; sourced, not run.

# Nanoseconds since the epoch.
now() { date +%s%N; }
# Milliseconds from nanosecond stamp $1 to $2.
ms() { echo $(( ($2 - $1) / 1000000 )); }
# The median of the numbers given (the lower middle one for an even count).
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
