# Runs lupdate the one way the project does it (used by the td_lupdate target and the translations test).
#   MODE=update: refresh the .ts files in TS_DIR.
#   MODE=check:  run lupdate on copies in WORK_DIR; fail if the result differs from TS_DIR (out of date), or if
#                any entry is unfinished, obsolete or vanished.
# The English catalogue is the source language: lupdate keeps only its plural forms (-pluralonly).
set(sources "${SOURCE_DIR}/ui" "${SOURCE_DIR}/app" "${SOURCE_DIR}/core/jobs")
# -I: project headers are included as "ui/main_window.h"; lupdate must find them to learn each class's
# namespace (the translation context is the qualified class name, e.g. td::ui::MainWindow).
set(common -no-obsolete -locations none -extensions cpp,h -silent -I "${SOURCE_DIR}")
set(langs en ru zh_CN)

if(MODE STREQUAL "check")
    file(REMOVE_RECURSE "${WORK_DIR}")
    file(MAKE_DIRECTORY "${WORK_DIR}")
    foreach(lang ${langs})
        file(COPY "${TS_DIR}/tunedesk_${lang}.ts" DESTINATION "${WORK_DIR}")
    endforeach()
    set(target_dir "${WORK_DIR}")
else()
    set(target_dir "${TS_DIR}")
endif()

foreach(lang ${langs})
    set(extra "")
    if(lang STREQUAL "en")
        set(extra -pluralonly)
    endif()
    execute_process(COMMAND "${LUPDATE}" ${common} ${extra} ${sources} -ts "${target_dir}/tunedesk_${lang}.ts"
                    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "lupdate failed for ${lang}:\n${out}${err}")
    endif()
endforeach()

if(MODE STREQUAL "check")
    set(problems "")
    foreach(lang ${langs})
        file(READ "${TS_DIR}/tunedesk_${lang}.ts" committed)
        file(READ "${WORK_DIR}/tunedesk_${lang}.ts" fresh)
        if(NOT committed STREQUAL fresh)
            string(APPEND problems "tunedesk_${lang}.ts is out of date with the sources\n")
        endif()
        string(REGEX MATCHALL "<source>[^<]*</source>[^<]*(<comment>[^<]*</comment>[^<]*)?<translation type=\"(unfinished|obsolete|vanished)\""
               bad "${fresh}")
        foreach(entry ${bad})
            string(REGEX REPLACE "[ \t\r\n]+" " " entry "${entry}")
            string(APPEND problems "tunedesk_${lang}.ts: ${entry}\n")
        endforeach()
    endforeach()
    if(problems)
        message(FATAL_ERROR "translations are not complete:\n${problems}"
                "hint: cmake --build build --target td_lupdate, then translate the entries in Qt Linguist")
    endif()
    message(STATUS "translations: en, ru, zh_CN complete and up to date")
endif()
