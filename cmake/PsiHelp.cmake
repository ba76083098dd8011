# psi-ps's help text has one source, src/cli/psi-ps.help. From it this file
# makes, at build time, both the text `psi-ps --help` prints (a C++ string
# literal compiled into help.cpp) and the man page psi-ps.1 (with the prose
# of src/cli/psi-ps.1.in around it), so the two cannot drift apart.
#
# Included from a CMakeLists.txt it defines psi_help_sources(); run as a
# script (cmake -P, the build step) it does the generating. Only CMake is
# needed, so it works for cross builds and on machines without Python.
#
# The help file's lines, each one of:
#   line 1                  "Usage: psi-ps ..."       (the man page's SYNOPSIS)
#   line 2                  a one-line summary        (the man page's NAME)
#   "Title:"                a group of options        (.SS Title)
#   "Title (remark):"       the same, with a remark   (.SS Title, remark)
#   "  TERM   DESCRIPTION"  an option: the term at column 2 (no double
#                           space inside), the description at column 22
#   22 spaces, then text    the description continues
#   "Title: text"           a closing section         (.SH TITLE, text)
#   an empty line
# Anything else stops the build with the line number.

if(NOT CMAKE_SCRIPT_MODE_FILE)
  set(_PSI_HELP_SCRIPT "${CMAKE_CURRENT_LIST_FILE}")

  # Generates help_text.inc (included by help.cpp) and psi-ps.1 for target.
  function(psi_help_sources target help_file man_template)
    set(inc "${CMAKE_CURRENT_BINARY_DIR}/generated/help_text.inc")
    set(man "${CMAKE_CURRENT_BINARY_DIR}/psi-ps.1")
    add_custom_command(
      OUTPUT "${inc}" "${man}"
      COMMAND "${CMAKE_COMMAND}" "-DHELP=${help_file}" "-DTEMPLATE=${man_template}"
              "-DVERSION=${PROJECT_VERSION}" "-DOUT_INC=${inc}" "-DOUT_MAN=${man}"
              -P "${_PSI_HELP_SCRIPT}"
      DEPENDS "${help_file}" "${man_template}" "${_PSI_HELP_SCRIPT}"
      COMMENT "Generating psi-ps --help text and man page"
      VERBATIM)
    target_sources(${target} PRIVATE "${inc}")
    target_include_directories(${target} PRIVATE "${CMAKE_CURRENT_BINARY_DIR}/generated")
    set(PSI_PS_MAN_PAGE "${man}" PARENT_SCOPE)
  endfunction()
  return()
endif()

# --- Script mode -----------------------------------------------------------
foreach(var HELP TEMPLATE VERSION OUT_INC OUT_MAN)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "PsiHelp.cmake: -D${var}=... is required")
  endif()
endforeach()

file(READ "${HELP}" help)
if(help MATCHES "\\)psi_help\"")
  message(FATAL_ERROR "${HELP} contains the literal's delimiter )psi_help\"")
endif()

# The C++ side: the text as it is, in a raw string literal.
get_filename_component(_inc_dir "${OUT_INC}" DIRECTORY)
file(MAKE_DIRECTORY "${_inc_dir}")
file(WRITE "${OUT_INC}"
  "// Generated from src/cli/psi-ps.help by cmake/PsiHelp.cmake: edit that file.\n"
  "R\"psi_help(${help})psi_help\"\n")

# The man page side. roff escapes first (a backslash is \e, a minus sign
# \-), then the characters CMake's lists treat specially are parked.
set(text "${help}")
string(REPLACE "\\" "\\e" text "${text}")
string(REPLACE "-" "\\-" text "${text}")
string(REPLACE ";" "{psi:semi}" text "${text}")
string(REPLACE "[" "{psi:lb}" text "${text}")
string(REPLACE "]" "{psi:rb}" text "${text}")
string(REGEX REPLACE "\n$" "" text "${text}")
string(REPLACE "\n" ";" lines "${text}")

# A text line that starts with . or ' would be read as a roff request.
function(_psi_roff_text out value)
  if(value MATCHES "^[.']")
    set(value "\\&${value}")
  endif()
  set(${out} "${value}" PARENT_SCOPE)
endfunction()

set(synopsis "")
set(summary "")
set(options "")
set(trailer "")
set(n 0)
set(in_option OFF)
foreach(line IN LISTS lines)
  math(EXPR n "${n} + 1")
  if(n EQUAL 1)
    if(NOT line MATCHES "^Usage: (.+)$")
      message(FATAL_ERROR "${HELP}:1: the first line is \"Usage: psi-ps ...\"")
    endif()
    set(synopsis "${CMAKE_MATCH_1}")
  elseif(n EQUAL 2)
    string(REGEX REPLACE "\\.$" "" summary "${line}")
    # NAME is "psi-ps - summary": roff convention starts it in lower case.
    string(SUBSTRING "${summary}" 0 1 first)
    string(SUBSTRING "${summary}" 1 -1 rest)
    string(TOLOWER "${first}" first)
    set(summary "${first}${rest}")
  elseif(line STREQUAL "")
    set(in_option OFF)
  elseif(line MATCHES "^([A-Z][A-Za-z ]*) \\((.*)\\):$")
    # "Title (a remark):" is a subsection and the remark its first line.
    _psi_roff_text(body "${CMAKE_MATCH_2}")
    string(APPEND options ".SS \"${CMAKE_MATCH_1}\"\n${body}\n")
    set(in_option OFF)
  elseif(line MATCHES "^([A-Z].*):$")
    string(APPEND options ".SS \"${CMAKE_MATCH_1}\"\n")
    set(in_option OFF)
  elseif(line MATCHES "^([A-Z][A-Za-z ]*): (.+)$")
    string(TOUPPER "${CMAKE_MATCH_1}" title)
    _psi_roff_text(body "${CMAKE_MATCH_2}")
    string(APPEND trailer ".SH ${title}\n${body}\n")
    set(in_option OFF)
  elseif(line MATCHES "^                      ([^ ].*)$")
    if(NOT in_option)
      message(FATAL_ERROR "${HELP}:${n}: a continuation line without an option above it")
    endif()
    _psi_roff_text(body "${CMAKE_MATCH_1}")
    string(APPEND options "${body}\n")
  elseif(line MATCHES "^  ([^ ]+( [^ ]+)*)  +([^ ].*)$")
    set(term "${CMAKE_MATCH_1}")
    _psi_roff_text(body "${CMAKE_MATCH_3}")
    string(APPEND options ".TP\n\\fB${term}\\fR\n${body}\n")
    set(in_option ON)
  else()
    message(FATAL_ERROR "${HELP}:${n}: not a section, an option row (term at column 2, "
                        "description at column 22) or a continuation: ${line}")
  endif()
endforeach()

set(PSI_VERSION "${VERSION}")
set(PSI_HELP_SYNOPSIS "${synopsis}")
set(PSI_HELP_SUMMARY "${summary}")
set(PSI_HELP_OPTIONS "${options}")
set(PSI_HELP_TRAILER "${trailer}")
string(REGEX REPLACE "\n$" "" PSI_HELP_OPTIONS "${PSI_HELP_OPTIONS}")
string(REGEX REPLACE "\n$" "" PSI_HELP_TRAILER "${PSI_HELP_TRAILER}")
file(READ "${TEMPLATE}" page)
string(CONFIGURE "${page}" page @ONLY)
string(REPLACE "{psi:semi}" ";" page "${page}")
string(REPLACE "{psi:lb}" "[" page "${page}")
string(REPLACE "{psi:rb}" "]" page "${page}")
file(WRITE "${OUT_MAN}" "${page}")
