# Installation layout and packages (CPack). Linux: DEB and RPM (built and tested here), TGZ; Windows: NSIS;
# macOS: DragNDrop (DMG). The AppImage recipe lives in packaging/appimage/ and the release workflow in
# .github/workflows/packages.yml (those tools only exist on the release runners).
include(GNUInstallDirs)

set(TD_APP_ID "io.github.tunedesk.TuneDesk")
set(TD_PKG_DIR "${CMAKE_CURRENT_LIST_DIR}")

if(TD_BUILD_GUI)
    if(UNIX AND NOT APPLE)
        install(FILES "${TD_PKG_DIR}/linux/${TD_APP_ID}.desktop" DESTINATION "${CMAKE_INSTALL_DATADIR}/applications")
        install(FILES "${TD_PKG_DIR}/linux/${TD_APP_ID}.metainfo.xml" DESTINATION "${CMAKE_INSTALL_DATADIR}/metainfo")
        foreach(size 16 22 24 32 48 64 128 256 512)
            install(FILES "${CMAKE_SOURCE_DIR}/resources/icons/hicolor/${size}x${size}/apps/tunedesk.png"
                    DESTINATION "${CMAKE_INSTALL_DATADIR}/icons/hicolor/${size}x${size}/apps")
        endforeach()
        install(FILES "${CMAKE_SOURCE_DIR}/resources/icons/tunedesk.svg"
                DESTINATION "${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps")
    endif()
    if(WIN32)
        target_sources(tunedesk PRIVATE "${TD_PKG_DIR}/windows/tunedesk.rc")
    endif()
    if(APPLE)
        set_target_properties(tunedesk PROPERTIES
            MACOSX_BUNDLE_INFO_PLIST "${TD_PKG_DIR}/macos/Info.plist.in"
            MACOSX_BUNDLE_ICON_FILE tunedesk.icns
            MACOSX_BUNDLE_GUI_IDENTIFIER "${TD_APP_ID}"
            MACOSX_BUNDLE_BUNDLE_VERSION "${PROJECT_VERSION}"
            MACOSX_BUNDLE_SHORT_VERSION_STRING "${PROJECT_VERSION}")
        set_source_files_properties("${TD_PKG_DIR}/macos/tunedesk.icns" PROPERTIES MACOSX_PACKAGE_LOCATION Resources)
        target_sources(tunedesk PRIVATE "${TD_PKG_DIR}/macos/tunedesk.icns")
    endif()
    if(WIN32 OR APPLE)
        # windeployqt / macdeployqt: copies Qt's libraries and plugins next to the executable.
        qt_generate_deploy_app_script(TARGET tunedesk FILENAME_VARIABLE td_deploy_script NO_UNSUPPORTED_PLATFORM_ERROR)
        install(SCRIPT "${td_deploy_script}")
        # libtorch's own shared libraries travel with the app (upstream libtorch on the release runners).
        if(WIN32)
            file(GLOB td_torch_dlls "${TORCH_INSTALL_PREFIX}/lib/*.dll")
            install(FILES ${td_torch_dlls} DESTINATION "${CMAKE_INSTALL_BINDIR}")
        endif()
    endif()
endif()

set(CPACK_PACKAGE_NAME "tunedesk")
set(CPACK_PACKAGE_VENDOR "The TuneDesk developers")
set(CPACK_PACKAGE_CONTACT "The TuneDesk developers <tunedesk@users.noreply.github.com>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Fine-tune large language models on your workstation, offline")
string(CONCAT CPACK_PACKAGE_DESCRIPTION
    "TuneDesk is a native desktop workbench for fine-tuning large language models: load a Hugging Face model "
    "from disk, prepare datasets, train with LoRA or full fine-tuning while watching live charts, chat with "
    "the result and export a merged model. It runs on libtorch, in-process and offline.")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_HOMEPAGE_URL "https://github.com/tunedesk/tunedesk")
set(CPACK_PACKAGE_INSTALL_DIRECTORY "TuneDesk")
set(CPACK_PACKAGE_EXECUTABLES "tunedesk" "TuneDesk")
set(CPACK_STRIP_FILES ON)
set(CPACK_VERBATIM_VARIABLES ON)

if(WIN32)
    set(CPACK_GENERATOR "NSIS")
    set(CPACK_NSIS_DISPLAY_NAME "TuneDesk")
    set(CPACK_NSIS_PACKAGE_NAME "TuneDesk")
    set(CPACK_NSIS_MUI_ICON "${TD_PKG_DIR}/windows/tunedesk.ico")
    set(CPACK_NSIS_MUI_UNIICON "${TD_PKG_DIR}/windows/tunedesk.ico")
    set(CPACK_NSIS_INSTALLED_ICON_NAME "bin\\\\tunedesk.exe")
    set(CPACK_NSIS_ENABLE_UNINSTALL_BEFORE_INSTALL ON)
    set(CPACK_NSIS_CREATE_ICONS_EXTRA
        "CreateShortCut '$SMPROGRAMS\\\\$STARTMENU_FOLDER\\\\TuneDesk.lnk' '$INSTDIR\\\\bin\\\\tunedesk.exe'")
    set(CPACK_NSIS_DELETE_ICONS_EXTRA "Delete '$SMPROGRAMS\\\\$START_MENU\\\\TuneDesk.lnk'")
elseif(APPLE)
    set(CPACK_GENERATOR "DragNDrop")
    set(CPACK_DMG_VOLUME_NAME "TuneDesk")
    set(CPACK_DMG_FORMAT "UDBZ")
else()
    set(CPACK_GENERATOR "DEB;RPM;TGZ")
    set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
    # DEB: shared-library dependencies are computed by dpkg-shlibdeps; the ones below are loaded at run time
    # (BLAS backend, Qt's xcb platform plugin, the SVG icon plugin) and so invisible to it.
    set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
    set(CPACK_DEBIAN_PACKAGE_SECTION "science")
    set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
    set(CPACK_DEBIAN_PACKAGE_DEPENDS "libopenblas0-openmp | libopenblas0, qt6-qpa-plugins, libqt6svg6")
    # python3-jieba: its dictionary files give the ROUGE scores of evaluation runs (read by our C++ code).
    set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "qt6-translations-l10n, fonts-wqy-microhei | fonts-noto-cjk, python3-jieba")
    # RPM: automatic requirements from the binaries, plus the run-time plugins (Fedora names).
    set(CPACK_RPM_FILE_NAME RPM-DEFAULT)
    set(CPACK_RPM_PACKAGE_LICENSE "Apache-2.0")
    set(CPACK_RPM_PACKAGE_GROUP "Applications/Engineering")
    set(CPACK_RPM_PACKAGE_AUTOREQ ON)
    set(CPACK_RPM_PACKAGE_REQUIRES "openblas-openmp, qt6-qtsvg")
    set(CPACK_RPM_EXCLUDE_FROM_AUTO_FILELIST_ADDITION
        /usr/share/applications /usr/share/metainfo /usr/share/icons /usr/share/icons/hicolor)
endif()

include(CPack)
