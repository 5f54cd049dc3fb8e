# Fails when a file breaks the layer rules of docs/architecture.md:
#  1. nothing includes <torch/torch.h> (18-22 s and ~1 GB per translation unit);
#  2. no header (.h) anywhere and no file under ui/, core/jobs/ or app/main.cpp includes torch, ATen or c10
#     (core/common/torch_compat.h is the single allowed header: engine .cpp files only include it);
#  3. the engine (core/ minus core/jobs) and kernels/ include no Qt header.
file(GLOB_RECURSE all_files RELATIVE "${TD_SOURCE_DIR}"
     "${TD_SOURCE_DIR}/app/*" "${TD_SOURCE_DIR}/core/*" "${TD_SOURCE_DIR}/ui/*" "${TD_SOURCE_DIR}/kernels/*"
     "${TD_SOURCE_DIR}/tests/*")
set(problems "")
foreach(f ${all_files})
    if(NOT f MATCHES "\\.(h|hpp|cpp|cc)$")
        continue()
    endif()
    file(STRINGS "${TD_SOURCE_DIR}/${f}" includes REGEX "^[ \t]*#[ \t]*include")
    foreach(line ${includes})
        if(line MATCHES "torch/torch\\.h")
            string(APPEND problems "${f}: includes torch/torch.h\n")
        endif()
        set(is_torch FALSE)
        if(line MATCHES "[<\"](torch|ATen|c10)/")
            set(is_torch TRUE)
        endif()
        if(is_torch AND f MATCHES "\\.h$" AND NOT f STREQUAL "core/common/torch_compat.h"
           AND NOT f STREQUAL "core/pch_engine.h" AND NOT f MATCHES "^tests/")
            string(APPEND problems "${f}: header includes torch (${line}); keep torch in .cpp files\n")
        endif()
        if(is_torch AND (f MATCHES "^ui/" OR f MATCHES "^core/jobs/" OR f STREQUAL "app/main.cpp"
                         OR f MATCHES "^tests/(ui|jobs)/"))
            string(APPEND problems "${f}: GUI-side file includes torch (${line})\n")
        endif()
        if(line MATCHES "[<\"]Q[A-Za-z]+[>\"/]" AND (f MATCHES "^kernels/"
           OR (f MATCHES "^core/" AND NOT f MATCHES "^core/jobs/")))
            string(APPEND problems "${f}: engine file includes Qt (${line})\n")
        endif()
    endforeach()
endforeach()
if(problems)
    message(FATAL_ERROR "layering violations:\n${problems}")
endif()
message(STATUS "layering: ${CMAKE_CURRENT_LIST_FILE} checked, no violations")
