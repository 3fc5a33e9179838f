# Strict warnings, checked per compiler (curl's PickyWarnings in spirit).
include(CheckCCompilerFlag)
set(RA_WARNING_FLAGS)
foreach(flag -Wall -Wextra -Wpedantic -Wshadow -Wformat=2 -Wcast-qual
             -Wstrict-prototypes -Wmissing-prototypes -Wpointer-arith
             -Wwrite-strings -Wundef -Wvla -Wnull-dereference
             -Wimplicit-fallthrough -Wno-unused-parameter)
  string(MAKE_C_IDENTIFIER "HAVE_FLAG${flag}" var)
  check_c_compiler_flag(${flag} ${var})
  if(${var})
    list(APPEND RA_WARNING_FLAGS ${flag})
  endif()
endforeach()
if(RA_WERROR)
  list(APPEND RA_WARNING_FLAGS -Werror)
endif()
function(ra_strict_warnings target)
  target_compile_options(${target} PRIVATE ${RA_WARNING_FLAGS})
endfunction()
