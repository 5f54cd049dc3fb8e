# ccache for every C++ compile. With a precompiled header ccache needs these sloppiness settings
# (ccache manual, "Precompiled headers"); time_macros because Qt/spdlog use __DATE__ nowhere we care about.
# BASEDIR + NOHASHDIR make paths relative to the source tree, so a second build folder (a worktree, a
# preset's folder) reuses the objects the first one compiled.
if(TD_USE_CCACHE)
    find_program(TD_CCACHE ccache)
    if(TD_CCACHE)
        set(CMAKE_CXX_COMPILER_LAUNCHER
            ${CMAKE_COMMAND} -E env "CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime"
            "CCACHE_BASEDIR=${CMAKE_SOURCE_DIR}" CCACHE_NOHASHDIR=1
            ${TD_CCACHE})
        set(CMAKE_C_COMPILER_LAUNCHER ${CMAKE_CXX_COMPILER_LAUNCHER})
        message(STATUS "ccache: ${TD_CCACHE}")
    endif()
endif()
