# The Debian package: `cmake --build build --target package` (or scripts/package.sh)
# writes build/cloudretail_<version>_<arch>.deb with the binary in /usr/bin, the
# systemd units, /etc/cloudretail/cloudretail.env (a conffile), and maintainer
# scripts creating the `cloudretail` system user and /var/lib/cloudretail.
# Library dependencies come from dpkg-shlibdeps, so `apt-get install ./cloudretail_*.deb`
# pulls them in.
include(GNUInstallDirs)
set(_deb ${PROJECT_SOURCE_DIR}/deploy/debian)
set(_units ${PROJECT_SOURCE_DIR}/deploy/systemd)

install(TARGETS cloudretail RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# Debian 12 keeps units in /lib/systemd/system (lintian checks that).
install(FILES ${_units}/cloudretail.service ${_units}/cloudretail@.service
              ${_units}/cloudretail-backup.service ${_units}/cloudretail-backup.timer
        DESTINATION /lib/systemd/system)
install(FILES ${_deb}/cloudretail.env DESTINATION /etc/cloudretail)

# /usr/share/doc/cloudretail: copyright, README and a native changelog (gzip -9n: reproducible).
set(_changelog ${CMAKE_BINARY_DIR}/deb/changelog)
string(TIMESTAMP _date "%a, %d %b %Y %H:%M:%S +0000" UTC)
file(WRITE ${_changelog}
  "cloudretail (${PROJECT_VERSION}) unstable; urgency=medium\n\n"
  "  * Built from the CloudRetail source tree.\n\n"
  " -- CloudRetail developers <ops@cloudretail.example.com>  ${_date}\n")
execute_process(COMMAND gzip -9n -c ${_changelog} OUTPUT_FILE ${_changelog}.gz)
install(FILES ${_changelog}.gz ${_deb}/copyright ${PROJECT_SOURCE_DIR}/README.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
execute_process(COMMAND gzip -9n -c ${_deb}/cloudretail.1 OUTPUT_FILE ${CMAKE_BINARY_DIR}/deb/cloudretail.1.gz)
install(FILES ${CMAKE_BINARY_DIR}/deb/cloudretail.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${_deb}/cloudretail.1)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME cloudretail)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_DIRECTORY ${CMAKE_BINARY_DIR}/package)
set(CPACK_PACKAGE_CONTACT "CloudRetail developers <ops@cloudretail.example.com>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "self-hosted e-commerce backend (shop API in one binary)")
# The summary is the synopsis line; this is the extended description under it.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
"CloudRetail serves a shop's HTTP API: accounts with its own identity provider,
products with images, carts, inventory, orders, mock payments and email, on
SQLite or PostgreSQL. The cloudretail service runs it as the cloudretail user
with its data in /var/lib/cloudretail and its settings in
/etc/cloudretail/cloudretail.env.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION web)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://cloudretail.example.com")
set(CPACK_STRIP_FILES ON)
# Maintainer scripts 0755, conffiles 0644, whatever the checkout's modes.
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
file(WRITE ${CMAKE_BINARY_DIR}/deb/conffiles "/etc/cloudretail/cloudretail.env\n")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
  ${_deb}/postinst ${_deb}/prerm ${_deb}/postrm ${CMAKE_BINARY_DIR}/deb/conffiles)
include(CPack)
