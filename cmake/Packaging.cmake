# Packaging.cmake: `cpack -G DEB` in a build directory makes
# residency-audit_<version>_<arch>.deb from the install rules (the binary,
# share/residency-audit/templates, the manual page) under /usr. The
# runtime dependencies are computed by dpkg-shlibdeps (dpkg-dev) from the
# libraries the binary links, so Depends names the Debian library packages
# of the build machine's release (libcurl4, libcjson1, libssl3, libxml2,
# libmongoc-1.0-0, libbson-1.0-0, libc6) with their minimum versions.
# Install the result with `apt-get install ./residency-audit_*.deb`.

set(RA_DEB_MAINTAINER "residency-audit maintainers <residency-audit@example.com>"
  CACHE STRING "Maintainer field of the .deb")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME residency-audit)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "${RA_DEB_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
  "proves where MongoDB Atlas data lives (residency evidence packs)")
# CPack puts the summary on the Description line and this text below it.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
  "Audits every project of a MongoDB Atlas organization against the
jurisdiction an inventory assigns to it, through the Atlas Admin API v2,
and writes a dated evidence pack: Markdown and JSON reports per
jurisdiction, optional JUnit XML and SARIF for CI gates, every API
response verbatim and a SHA256SUMS manifest checkable with coreutils.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${RA_DEB_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "ca-certificates, git")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "openssl")

include(CPack)
