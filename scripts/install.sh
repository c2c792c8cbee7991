# Sourced by scripts/setup and scripts/test (POSIX sh): the two ways they
# install what is missing. $who names the caller in messages.

# install_missing PKG...: apt-get installs the Debian packages not installed yet.
install_missing() {
  missing=""
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
  done
  [ -n "$missing" ] || return 0
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO=sudo
  echo "$who: installing Debian packages:$missing"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends \
    $missing >/dev/null
}

# npm_ci_locked DIR WHAT: `npm ci` in DIR (install scripts off) unless what is
# installed is what DIR's lock says. The copy of the lock beside node_modules
# says what is installed; when it matches there is nothing to do.
npm_ci_locked() {
  if ! cmp -s "$1/package-lock.json" "$1/node_modules/.roomlint-lock" 2>/dev/null; then
    echo "$who: installing $2 (npm ci in $1)"
    (cd "$1" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
    cp "$1/package-lock.json" "$1/node_modules/.roomlint-lock"
  fi
}
