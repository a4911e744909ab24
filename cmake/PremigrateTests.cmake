# How premigrate registers its tests with CTest. A test that cannot run here (a tool, root or
# ../shared missing) prints "skipped: <reason>" and exits 77, which CTest reports as skipped;
# any other non-zero exit is a failure, whatever the output says (so a "skipped: " line in
# product output or a warning before a real failure can never turn a failure into a skip).
# Included by test/CMakeLists.txt and by the meta-test's own project (test/meta), which proves
# exactly that.
set(PREMIGRATE_SKIP_CODE 77)
set(PREMIGRATE_SKIP_PROPERTIES SKIP_RETURN_CODE ${PREMIGRATE_SKIP_CODE})

# premigrate_add_test(NAME name COMMAND cmd...): add_test with the skip exit code. Further
# properties go in a set_tests_properties of the caller's: a ';' inside an argument (a list
# value such as FIXTURES_REQUIRED "a;b", or in a shell command) would not survive being passed
# through a function's arguments.
function(premigrate_add_test)
  cmake_parse_arguments(arg "" "NAME" "COMMAND" ${ARGN})
  if(NOT arg_NAME OR NOT arg_COMMAND)
    message(FATAL_ERROR "premigrate_add_test: NAME and COMMAND are required")
  endif()
  add_test(NAME ${arg_NAME} COMMAND ${arg_COMMAND})
  set_tests_properties(${arg_NAME} PROPERTIES ${PREMIGRATE_SKIP_PROPERTIES})
endfunction()
