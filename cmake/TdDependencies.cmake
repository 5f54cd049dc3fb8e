# Every dependency comes from Debian 12 packages (tools/setup.sh installs them), except SentencePiece,
# which tools/build-sentencepiece.sh builds statically from Debian's source package into a cache outside the
# repository (Debian's shared library embeds a second protobuf that crashes next to libtorch).

find_package(Threads REQUIRED)

# libtorch: Debian's libtorch-dev 1.13.1 (CPU) by default; point Torch_DIR/CMAKE_PREFIX_PATH at an upstream
# libtorch 2.x (CUDA) to build against it. Version differences live in core/common/torch_compat.h.
find_package(Torch REQUIRED)
message(STATUS "libtorch ${Torch_VERSION}: ${TORCH_INSTALL_PREFIX}")

set(TD_QT_COMPONENTS Core Network HttpServer WebSockets Test)
if(TD_BUILD_GUI)
    list(APPEND TD_QT_COMPONENTS Gui Widgets Charts LinguistTools)
endif()
find_package(Qt6 6.4 REQUIRED COMPONENTS ${TD_QT_COMPONENTS})

find_package(nlohmann_json 3.10 REQUIRED)
find_package(spdlog 1.10 REQUIRED)
find_package(yaml-cpp REQUIRED)
find_package(Protobuf REQUIRED)

find_package(PkgConfig REQUIRED)
pkg_check_modules(PCRE2 REQUIRED IMPORTED_TARGET libpcre2-8)
# ICU (libicu-dev): Unicode normalization (NFC/NFKC/...) and character properties for the tokenizers.
find_package(ICU 70 REQUIRED COMPONENTS uc)

find_path(TD_TL_EXPECTED_INCLUDE tl/expected.hpp REQUIRED)
add_library(td_tl_expected INTERFACE)
target_include_directories(td_tl_expected SYSTEM INTERFACE ${TD_TL_EXPECTED_INCLUDE})

# SentencePiece (static, system protobuf).
set(TD_SPM_VERSION 0.1.97)
if(DEFINED ENV{TD_CACHE_DIR})
    set(_td_cache "$ENV{TD_CACHE_DIR}")
elseif(DEFINED ENV{XDG_CACHE_HOME})
    set(_td_cache "$ENV{XDG_CACHE_HOME}/tunedesk")
else()
    set(_td_cache "$ENV{HOME}/.cache/tunedesk")
endif()
set(TD_SENTENCEPIECE_ROOT "${_td_cache}/sentencepiece-${TD_SPM_VERSION}" CACHE PATH
    "Prefix of the static SentencePiece build (tools/build-sentencepiece.sh)")
# The static archive first (Debian, see above); other platforms' package managers (vcpkg, Homebrew) ship a
# SentencePiece whose protobuf does not clash with upstream libtorch, so their plain library name is fine.
find_library(TD_SPM_LIB NAMES libsentencepiece.a sentencepiece PATHS "${TD_SENTENCEPIECE_ROOT}/lib" NO_DEFAULT_PATH)
find_library(TD_SPM_TRAIN_LIB NAMES libsentencepiece_train.a sentencepiece_train
             PATHS "${TD_SENTENCEPIECE_ROOT}/lib" NO_DEFAULT_PATH)
find_path(TD_SPM_INCLUDE sentencepiece_processor.h PATHS "${TD_SENTENCEPIECE_ROOT}/include" NO_DEFAULT_PATH)
if(NOT TD_SPM_LIB OR NOT TD_SPM_TRAIN_LIB OR NOT TD_SPM_INCLUDE)
    message(FATAL_ERROR "Static SentencePiece not found under ${TD_SENTENCEPIECE_ROOT}.\n"
        "hint: run tools/build-sentencepiece.sh (tools/setup.sh does it), or set TD_SENTENCEPIECE_ROOT.")
endif()
add_library(td_sentencepiece INTERFACE)
target_include_directories(td_sentencepiece SYSTEM INTERFACE "${TD_SPM_INCLUDE}")
# The trainer library is listed first: it depends on the processor library.
target_link_libraries(td_sentencepiece INTERFACE "${TD_SPM_TRAIN_LIB}" "${TD_SPM_LIB}" protobuf::libprotobuf Threads::Threads)
