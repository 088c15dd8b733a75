# The checks the pvm CLI test scripts share (sourced by cli_smoke.sh and cli_host.sh).
#   check NAME EXPECTED_RC PATTERN -- cmd...   cmd exits EXPECTED_RC and its stdout+stderr
#                                              match PATTERN (an extended regex)
#   refute NAME PATTERN -- cmd...              the output must not match PATTERN
#   check_summary TITLE                        prints the counts; fails when a check failed
fails=0; passes=0
check() {
  local name=$1 want=$2 pat=$3; shift 4
  local out rc
  out=$("$@" 2>&1); rc=$?
  if [ "$rc" != "$want" ] || ! grep -qE -- "$pat" <<<"$out"; then
    echo "FAIL $name: rc=$rc (want $want), output: $(head -c 600 <<<"$out")"; fails=$((fails+1))
  else passes=$((passes+1)); fi
}
refute() {
  local name=$1 pat=$2; shift 3
  if "$@" 2>&1 | grep -qE -- "$pat"; then echo "FAIL $name: output matches $pat"; fails=$((fails+1)); else passes=$((passes+1)); fi
}
check_summary() {
  echo "$1: $passes passed, $fails failed"
  [ "$fails" = 0 ]
}
