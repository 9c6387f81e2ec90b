#!/usr/bin/env bash
# Installs the native programs the test suite starts or drives (Debian/Ubuntu, apt).
#   postgresql         -> tests/CreationWorkflow.Web.Tests/Infrastructure/PostgresServer.cs (initdb/postgres/pg_ctl/pg_isready)
#   python3-aiosmtpd   -> tests/CreationWorkflow.Web.Tests/Infrastructure/SmtpServer.cs (python3 -m aiosmtpd)
#   chromium, libreoffice-writer, libreoffice-calc -> browser / document-conversion tests
#   fonts-noto-cjk     -> Chinese glyphs when LibreOffice renders the acceptance package's DOCX/XLSX to PDF
#   poppler-utils      -> pdffonts: the acceptance PDF test checks the Chinese is set in a CJK font
#   zip                -> the acceptance-package benchmark compares its time with `zip -r`
# Idempotent: when everything is present it does not touch apt at all (takes well under a second).
# Any PostgreSQL cluster the distribution package auto-creates (15/main on port 5432) is stopped and set
# to "manual" so it never competes with the tests, which run their own throw-away servers on free ports.
set -euo pipefail

have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

missing=()
# PostgreSQL server binaries (any major version) as PostgresServer looks for them.
if ! compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || ! command -v pg_isready >/dev/null; then
  missing+=(postgresql)
fi
have_pkg python3-aiosmtpd || missing+=(python3-aiosmtpd)
if ! command -v chromium >/dev/null && ! have_pkg chromium; then missing+=(chromium); fi
have_pkg libreoffice-writer || missing+=(libreoffice-writer)
have_pkg libreoffice-calc || missing+=(libreoffice-calc)
have_pkg fonts-noto-cjk || missing+=(fonts-noto-cjk)
have_pkg poppler-utils || missing+=(poppler-utils)
command -v zip >/dev/null || missing+=(zip)

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then SUDO=(sudo); else
    echo "install-test-deps: not root and no sudo; cannot install: ${missing[*]:-nothing}" >&2
    [ ${#missing[@]} -eq 0 ] || exit 1
  fi
fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-test-deps: installing ${missing[*]}"
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  echo "install-test-deps: all test dependencies already installed"
fi

# Keep the distribution's own cluster(s) out of the way (the tests never use them).
if command -v pg_lsclusters >/dev/null; then
  while read -r ver name _port status _rest; do
    [ -n "$ver" ] || continue
    conf="/etc/postgresql/$ver/$name/start.conf"
    if [ -f "$conf" ] && ! grep -qx 'manual' "$conf"; then
      echo manual | "${SUDO[@]}" tee "$conf" >/dev/null
    fi
    if [ "$status" = online ] || [[ "$status" == online,* ]]; then
      echo "install-test-deps: stopping distribution cluster $ver/$name"
      "${SUDO[@]}" pg_ctlcluster "$ver" "$name" stop -m fast || true
    fi
  done < <(pg_lsclusters -h 2>/dev/null || true)
fi
