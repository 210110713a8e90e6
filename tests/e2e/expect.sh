# Shared by the e2e scripts (source it after setting $work):
# fail MESSAGE: print and exit 1.
# expect RC KEY CMD...: CMD exits RC and says [KEY] on stderr (KEY empty: no key expected); its
# stdout is left in $work/out.txt, its stderr in $work/err.txt.
fail() { echo "FAIL: $*" >&2; exit 1; }
expect() {
  local want=$1 key=$2 rc
  shift 2
  set +e
  "$@" > "$work/out.txt" 2> "$work/err.txt"
  rc=$?
  set -e
  [ "$rc" -eq "$want" ] || fail "$*: exit $rc, expected $want; stderr: $(tail -20 "$work/err.txt")"
  if [ -n "$key" ]; then
    grep -q "\[$key\]" "$work/err.txt" || fail "$*: no [$key] on stderr: $(tail -20 "$work/err.txt")"
  fi
}
