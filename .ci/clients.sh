# shellcheck shell=bash
# Sourced by .ci/run: installs the real SQL clients that server/clients_test.go drives
# against a running coordinator (mysql CLI, MariaDB Connector/J with a JRE, SQLAlchemy
# and pandas over PyMySQL for Debian's /usr/bin/python3) and headless Chromium for the status page. Only as root with apt-get, only
# what is missing, quietly. It never fails the caller: when the install does not work it
# prints one line and the client tests skip, each saying what it lacks.

zarrsql_clients_install() {
  local pkgs=(mariadb-client libmariadb-java default-jdk-headless python3-sqlalchemy python3-pymysql python3-pandas chromium)
  local missing=() p
  for p in "${pkgs[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "ci: client packages missing (${missing[*]}), not root with apt-get; the client tests skip"
    return 0
  fi
  if ! (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}") \
      >/tmp/zarrsql-ci-clients-apt.log 2>&1; then
    echo "ci: client packages not installed (see /tmp/zarrsql-ci-clients-apt.log); the client tests skip"
  fi
  return 0
}

zarrsql_clients_install
