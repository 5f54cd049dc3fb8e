# td_add_test(NAME SOURCES ... [LIBS ...] [LABELS ...] [QT] [XVFB] [ENGINE])
#   One executable + one ctest entry per test file (llama.cpp's llama_target_and_test).
#   ENGINE: links td_engine and reuses its precompiled header; uses GoogleTest (no moc on torch targets).
#   QT:     a QtTest test (AUTOMOC on); must not include torch.
#   XVFB:   runs under xvfb-run (a real X server) instead of QT_QPA_PLATFORM=offscreen.
# Every test runs with LANG=C.UTF-8, TD_SOURCE_DIR (the repository) and TD_SHARED_DIR (../shared when present).
if(TD_BUILD_TESTS)
    find_package(GTest REQUIRED)
endif()
find_program(TD_XVFB_RUN xvfb-run)

get_filename_component(TD_SHARED_DIR_DEFAULT "${CMAKE_SOURCE_DIR}/../shared" ABSOLUTE)
set(TD_SHARED_DIR "${TD_SHARED_DIR_DEFAULT}" CACHE PATH "The workspace's shared/ folder (fixtures), if any")

function(td_add_test name)
    cmake_parse_arguments(T "QT;XVFB;ENGINE" "" "SOURCES;LIBS;LABELS" ${ARGN})
    add_executable(${name} ${T_SOURCES})
    td_set_warnings(${name})
    if(T_ENGINE)
        target_link_libraries(${name} PRIVATE td_engine GTest::gtest GTest::gtest_main)
        set_target_properties(${name} PROPERTIES AUTOMOC OFF)
        if(TD_USE_PCH)
            target_precompile_headers(${name} REUSE_FROM td_engine)
        endif()
    endif()
    if(T_QT)
        target_link_libraries(${name} PRIVATE Qt6::Test)
        set_target_properties(${name} PROPERTIES AUTOMOC ON)
    endif()
    target_link_libraries(${name} PRIVATE ${T_LIBS})
    target_compile_definitions(${name} PRIVATE TD_TEST_BINARY_DIR="${CMAKE_BINARY_DIR}")

    set(env "LANG=C.UTF-8" "LC_ALL=C.UTF-8" "TD_SOURCE_DIR=${CMAKE_SOURCE_DIR}" "TD_SHARED_DIR=${TD_SHARED_DIR}"
            "TD_BINARY_DIR=${CMAKE_BINARY_DIR}" "XDG_CONFIG_HOME=${CMAKE_BINARY_DIR}/test-home/config"
            "XDG_DATA_HOME=${CMAKE_BINARY_DIR}/test-home/data" "XDG_CACHE_HOME=${CMAKE_BINARY_DIR}/test-home/cache")
    if(T_XVFB)
        if(NOT TD_XVFB_RUN)
            message(WARNING "xvfb-run not found: test ${name} is not registered (tools/setup.sh installs xvfb)")
            return()
        endif()
        add_test(NAME ${name} COMMAND ${TD_XVFB_RUN} -a -s "-screen 0 1600x1000x24" $<TARGET_FILE:${name}>)
    else()
        add_test(NAME ${name} COMMAND ${name})
        list(APPEND env "QT_QPA_PLATFORM=offscreen")
    endif()
    set_tests_properties(${name} PROPERTIES LABELS "${T_LABELS}" ENVIRONMENT "${env}" TIMEOUT 600)
endfunction()
