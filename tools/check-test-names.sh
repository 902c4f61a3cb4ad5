#!/usr/bin/env bash
# Checks that every xUnit test method under tests/ is named in the one style of
# the project (see "Test names" in docs/architecture.md): a sentence in snake
# case that starts with When_, names the situation, then the observable outcome
# in the present tense, without "Should".
#
#   When_a_vim_is_registered_twice_the_second_is_refused_with_409
#   When_an_image_is_catalogued_events_tail_prints_its_CloudEvent
#
# The rule, applied to the name of each method carrying [Fact] or [Theory]
# (also [Fact(...)], [Theory(...)], [Xunit.Fact], [FactAttribute], or one of
# them in an attribute list such as [Trait("a", "b"), Fact]):
#
#   1. it matches the extended regular expression
#
#        ^When_([a-z0-9]+|[A-Z][A-Za-z0-9]*)(_([a-z0-9]+|[A-Z][A-Za-z0-9]*))*$
#
#      that is: When_, then words joined by single underscores, each word
#      either lower case and digits (a_vim, 409, sha512), or a proper name or
#      acronym that starts with a capital (VIMs, OCI, Glance, CloudEvent,
#      ImageUpdated, Api); no camelCase word (onVim), no double or trailing
#      underscore;
#   2. no word of it is "should", in any case;
#   3. it is at most 150 characters long.
#
# Usage: tools/check-test-names.sh [--all]
#   Prints "file:line: name why" on stdout for each test whose name breaks the
#   rule, and exits 1 if there is one, 0 if every name conforms. With --all it
#   also prints every conforming test method it found ("file:line: name"), to
#   see what it checks.
# Needs only bash, find and awk: no build. bin/ and obj/ are left out.
set -euo pipefail

readonly NAME_RULE='^When_([a-z0-9]+|[A-Z][A-Za-z0-9]*)(_([a-z0-9]+|[A-Z][A-Za-z0-9]*))*$'
readonly MAX_LENGTH=150

all=0
case "${1:-}" in
  --all) all=1 ;;
  "") ;;
  -h | --help)
    sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
    exit 0
    ;;
  *)
    echo "usage: $0 [--all]" >&2
    exit 2
    ;;
esac

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if [[ ! -d tests ]]; then
  echo "check-test-names: no tests/ folder under $root" >&2
  exit 2
fi

# The awk program is in single quotes on purpose: its $0 and $1 are awk's, not the shell's.
# shellcheck disable=SC2016
find tests \( -name bin -o -name obj \) -prune -o -name '*.cs' -print0 \
  | sort -z \
  | xargs -0 -r awk -v rule="$NAME_RULE" -v max="$MAX_LENGTH" -v all="$all" '
    # An attribute line whose list holds Fact or Theory: the next method is a test.
    function is_test_attribute(line) {
      sub(/^[[:space:]]*\[[[:space:]]*/, "", line)
      return line ~ /^([A-Za-z_][A-Za-z0-9_.]*[[:space:]]*(\([^)]*\))?[[:space:]]*,[[:space:]]*)*(Xunit\.)?(Fact|Theory)(Attribute)?[[:space:]]*([](,]|$)/
    }
    # The name of the method a line declares, or "" when it declares none.
    function declared(line,    rest) {
      sub(/^[[:space:]]+/, "", line)
      while (line ~ /^(public|private|protected|internal|static|async|override|virtual|sealed|new|unsafe|extern)[[:space:]]/)
        sub(/^[A-Za-z]+[[:space:]]+/, "", line)
      # a return type, then the name, then ( or <
      if (!match(line, /^[A-Za-z_][A-Za-z0-9_.<>,?\[\] ]*[[:space:]][A-Za-z_][A-Za-z0-9_]*[[:space:]]*[(<]/)) return ""
      rest = substr(line, 1, RLENGTH)
      sub(/[[:space:]]*[(<]$/, "", rest)
      sub(/.*[[:space:]]/, "", rest)
      return rest
    }
    function check(name,    why) {
      why = ""
      if (name !~ rule) why = "does not match " rule
      else if (tolower(name) ~ /(^|_)should(_|$)/) why = "says Should"
      else if (length(name) > max) why = "is " length(name) " characters long (at most " max ")"
      if (why != "") {
        printf "%s:%d: %s %s\n", FILENAME, FNR, name, why
        bad++
      } else if (all) {
        printf "%s:%d: %s\n", FILENAME, FNR, name
      }
    }
    FNR == 1 { pending = 0 }
    /^[[:space:]]*\[/ {
      if (is_test_attribute($0)) pending = 1
      if (!pending) next
      # an attribute and the declaration may share a line: [Fact] public void X()
      line = $0
      while (line ~ /^[[:space:]]*\[[^]]*\][[:space:]]*/) sub(/^[[:space:]]*\[[^]]*\][[:space:]]*/, "", line)
      if (line == "" || line ~ /^\[/) next
      name = declared(line)
      if (name != "") { check(name); pending = 0 }
      next
    }
    pending && !/^[[:space:]]*(\/\/|$)/ {
      name = declared($0)
      if (name != "") { check(name); pending = 0 }
    }
    END { exit bad > 0 ? 1 : 0 }
  ' || {
  echo "check-test-names: some test names break the rule; see the header of tools/check-test-names.sh and \"Test names\" in docs/architecture.md" >&2
  exit 1
}
