# Fails when a file breaks the layer rules of docs/architecture.md:
#  1. nothing includes <torch/torch.h> (18-22 s and ~1 GB per translation unit);
#  2. nothing on the GUI side includes torch, ATen or c10: ui/, core/jobs/*.h, app/main.cpp, app/language.*,
#     tests/ui, tests/jobs, and the torch-free shared headers core/common/*.h (torch_compat.h excepted).
#     Engine headers elsewhere in core/ may include narrow torch headers such as <ATen/core/Tensor.h>;
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
        if(is_torch AND f MATCHES "^core/common/.*\\.h$" AND NOT f STREQUAL "core/common/torch_compat.h")
            string(APPEND problems "${f}: shared header includes torch (${line}); the UI includes it\n")
        endif()
        if(is_torch AND (f MATCHES "^ui/" OR f MATCHES "^core/jobs/.*\\.h$" OR f MATCHES "^app/(main|language)"
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
